import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { dataSourceOptions, runMigrationsLocked } from '@toonbank/database';
import { MIGRATIONS } from '@toonbank/migrations';
import { CredentialVault, type Environment } from '@toonbank/platform';
import type { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { CredentialBinding1795880000000 } from '../../migrations/1795880000000-credential-binding';
import { createScratchDatabase } from '../support/database';
import { newOrganisation, newUser } from '../support/factories';
import { watchOverlappingQueries } from '../support/overlapping-queries';
import { pendingSchemaStatements } from '../support/schema-diff';

/** The schema lives in hand-written migrations: they run both ways and agree with the entities. */
describe('migrations', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let db: DataSource;

  const tables = async () =>
    (
      (await db.query(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'typeorm_migrations' ORDER BY 1",
      )) as { tablename: string }[]
    ).map((r) => r.tablename);

  // pg warns (and pg 9 refuses) when one client is sent a query while it runs another.
  const queries = watchOverlappingQueries();
  const noOverlappingQueries = () => expect(queries.overlaps).toEqual([]);

  beforeAll(async () => {
    scratch = await createScratchDatabase('toonbank_migrations');
    db = new DataSource(dataSourceOptions({ url: scratch.url, poolSize: 2 }));
    await db.initialize();
  });
  afterAll(async () => {
    queries.stop();
    await db.destroy();
    await scratch.drop();
  });

  it('run forwards on an empty database, creating every table', async () => {
    const applied = await runMigrationsLocked(db);
    expect(applied.map((m) => m.name)).toEqual(MIGRATIONS.map((m) => m.name));
    expect(await tables()).toEqual([
      'audit_log',
      'channel_accounts',
      'conversation_numbers',
      'conversations',
      'maturity_changes',
      'messages',
      'organisations',
      'quarantined_items',
      'refresh_tokens',
      'replies',
      'sessions',
      'templates',
      'tone_profiles',
      'users',
    ]);
    expect(await runMigrationsLocked(db)).toEqual([]);
  });

  it('agree with the entities: generating a migration yields nothing', async () => {
    expect(await pendingSchemaStatements(db)).toEqual([]);
    noOverlappingQueries();
  });

  it('give organisation_id to every tenant table and index the inbox for keyset paging', async () => {
    const withoutTenant = (await db.query(`
      SELECT t.tablename FROM pg_tables t
       WHERE t.schemaname = 'public' AND t.tablename NOT IN ('organisations', 'typeorm_migrations')
         AND NOT EXISTS (SELECT 1 FROM information_schema.columns c
                          WHERE c.table_name = t.tablename AND c.column_name = 'organisation_id')`)) as unknown[];
    expect(withoutTenant).toEqual([]);
    const [inbox] = (await db.query(
      "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_conversations_inbox'",
    )) as { indexdef: string }[];
    expect(inbox?.indexdef).toContain('(organisation_id, status, last_message_at DESC, id DESC)');
    const [unique] = (await db.query(
      "SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'uq_messages_channel_account_id_external_id'",
    )) as { def: string }[];
    expect(unique?.def).toBe('UNIQUE (channel_account_id, external_id)');
  });

  it('keep data right: a conversation cannot be assigned to another organisation’s user', async () => {
    const a = await newOrganisation(db);
    const b = await newOrganisation(db);
    const stranger = await newUser(db, b);
    const [channel] = (await db.query(
      `INSERT INTO channel_accounts (organisation_id, provider, name) VALUES ($1, 'mastodon', 'm') RETURNING id`,
      [a.id],
    )) as { id: string }[];
    await expect(
      db.query(
        `INSERT INTO conversations (organisation_id, number, channel_account_id, status, assignee_id, customer_external_id, customer_handle, last_message_at)
         VALUES ($1, 1, $2, 'assigned', $3, 'c1', '@c1', now())`,
        [a.id, channel!.id, stranger.id],
      ),
    ).rejects.toThrow(/fk_conversations_organisation_id_assignee_id/);
  });

  it('make the audit log append-only: UPDATE, DELETE and TRUNCATE are refused', async () => {
    const organisation = await newOrganisation(db);
    await db.query(
      `INSERT INTO audit_log (organisation_id, action, subject_type) VALUES ($1, 'org.updated', 'organisation')`,
      [organisation.id],
    );
    await expect(
      db.query(`UPDATE audit_log SET reason = 'rewritten' WHERE organisation_id = $1`, [
        organisation.id,
      ]),
    ).rejects.toThrow(/append-only/);
    await expect(
      db.query(`DELETE FROM audit_log WHERE organisation_id = $1`, [organisation.id]),
    ).rejects.toThrow(/append-only/);
    await expect(db.query('TRUNCATE audit_log CASCADE')).rejects.toThrow(/append-only/);
  });

  describe('CredentialBinding: sealed credentials bound to their channel account', () => {
    const key = () => Buffer.from(process.env.CHANNEL_ENCRYPTION_KEY as string, 'base64');
    /** Sealed as the app did before the binding: AES-256-GCM, no additional data. */
    const sealV1 = (secrets: unknown) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key(), iv);
      const data = Buffer.concat([cipher.update(JSON.stringify(secrets)), cipher.final()]);
      return ['v1', ...[iv, cipher.getAuthTag(), data].map((p) => p.toString('base64url'))].join(
        '.',
      );
    };
    const openV1 = (sealed: string) => {
      const [, iv, tag, data] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
      const decipher = createDecipheriv('aes-256-gcm', key(), iv!, { authTagLength: 16 });
      decipher.setAuthTag(tag!);
      return JSON.parse(Buffer.concat([decipher.update(data!), decipher.final()]).toString());
    };
    const vault = () =>
      new CredentialVault({
        get: (name: keyof Environment) => process.env[name],
      } as unknown as ConfigService<Environment, true>);
    const migration = new CredentialBinding1795880000000();
    /** Runs one direction of the migration on a connection of its own, released afterwards. */
    const run = async (direction: 'up' | 'down') => {
      const runner = db.createQueryRunner();
      try {
        await migration[direction](runner);
      } finally {
        await runner.release();
      }
    };
    const sealedOf = async (id: string) =>
      (
        (await db.query('SELECT credentials_encrypted FROM channel_accounts WHERE id = $1', [
          id,
        ])) as { credentials_encrypted: string }[]
      )[0]!.credentials_encrypted;
    const channelWith = async (sealed: string | null) => {
      const organisation = await newOrganisation(db);
      const id = randomUUID();
      await db.query(
        `INSERT INTO channel_accounts (id, organisation_id, provider, name, credentials_encrypted) VALUES ($1, $2, 'mastodon', 'm', $3)`,
        [id, organisation.id, sealed],
      );
      return id;
    };
    afterEach(async () => {
      await db.query(`DELETE FROM channel_accounts WHERE name = 'm'`);
    });

    it('reseals every v1 value as v2 for its own row (moved to another row it no longer opens), and down() undoes it', async () => {
      const a = await channelWith(sealV1({ accessToken: 'token-a' }));
      const b = await channelWith(sealV1({ accessToken: 'token-b' }));
      const untouched = await channelWith('not-sealed-by-toonbank');
      const none = await channelWith(null);
      await run('up');

      expect(await sealedOf(a)).toMatch(/^v2\./);
      expect(vault().open(await sealedOf(a), a)).toEqual({ accessToken: 'token-a' });
      expect(vault().open(await sealedOf(b), b)).toEqual({ accessToken: 'token-b' });
      const sealedA = await sealedOf(a);
      expect(() => vault().open(sealedA, b)).toThrow(/unreadable/);
      expect(await sealedOf(untouched)).toBe('not-sealed-by-toonbank');
      expect(await sealedOf(none)).toBeNull();

      await run('down');
      expect(await sealedOf(a)).toMatch(/^v1\./);
      expect(openV1(await sealedOf(a))).toEqual({ accessToken: 'token-a' });
      expect(openV1(await sealedOf(b))).toEqual({ accessToken: 'token-b' });
    });

    it('refuses to run without the key when there is something to reseal, or with another key; without rows it passes', async () => {
      const saved = { key: process.env.CHANNEL_ENCRYPTION_KEY, jwt: process.env.JWT_SECRET };
      try {
        delete process.env.CHANNEL_ENCRYPTION_KEY;
        delete process.env.JWT_SECRET;
        await expect(run('up')).resolves.toBeUndefined();

        process.env.CHANNEL_ENCRYPTION_KEY = saved.key;
        const id = await channelWith(sealV1({ accessToken: 'token' }));
        delete process.env.CHANNEL_ENCRYPTION_KEY;
        await expect(run('up')).rejects.toThrow(
          /1 channel accounts hold sealed credentials, but neither CHANNEL_ENCRYPTION_KEY nor JWT_SECRET is set/,
        );
        process.env.CHANNEL_ENCRYPTION_KEY = randomBytes(32).toString('base64');
        await expect(run('up')).rejects.toThrow(
          `the credentials of channel account ${id} do not open with the configured key`,
        );
        process.env.CHANNEL_ENCRYPTION_KEY = saved.key;
        expect(await sealedOf(id)).toMatch(/^v1\./);
      } finally {
        process.env.CHANNEL_ENCRYPTION_KEY = saved.key;
        process.env.JWT_SECRET = saved.jwt;
      }
    });
  });

  it('run backwards to an empty schema, and forwards again', async () => {
    for (let i = 0; i < MIGRATIONS.length; i += 1)
      await db.undoLastMigration({ transaction: 'each' });
    expect(await tables()).toEqual([]);
    const functions = (await db.query(
      "SELECT proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'",
    )) as unknown[];
    expect(functions).toEqual([]);
    expect((await runMigrationsLocked(db)).length).toBe(MIGRATIONS.length);
    expect(await pendingSchemaStatements(db)).toEqual([]);
    noOverlappingQueries();
  });
});
