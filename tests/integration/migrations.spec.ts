import { dataSourceOptions, runMigrationsLocked } from '@toonbank/database';
import { MIGRATIONS } from '@toonbank/migrations';
import { DataSource } from 'typeorm';
import { createScratchDatabase } from '../support/database';
import { newOrganisation, newUser } from '../support/factories';

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

  beforeAll(async () => {
    scratch = await createScratchDatabase('toonbank_migrations');
    db = new DataSource(dataSourceOptions({ url: scratch.url, poolSize: 2 }));
    await db.initialize();
  });
  afterAll(async () => {
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
    const pending = await db.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
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

  it('run backwards to an empty schema, and forwards again', async () => {
    for (let i = 0; i < MIGRATIONS.length; i += 1)
      await db.undoLastMigration({ transaction: 'each' });
    expect(await tables()).toEqual([]);
    const functions = (await db.query(
      "SELECT proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'",
    )) as unknown[];
    expect(functions).toEqual([]);
    expect((await runMigrationsLocked(db)).length).toBe(MIGRATIONS.length);
    expect((await db.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
  });
});
