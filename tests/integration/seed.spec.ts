import { dataSourceOptions, runMigrationsLocked } from '@toonbank/database';
import { DataSource } from 'typeorm';
import { seedDemoChannels } from '../../apps/api/src/cli/demo-channels';
import { DEMO_ORGANISATIONS, DEMO_PASSWORD, seedDemo } from '../../apps/api/src/cli/demo-seed';
import {
  channelLengthRule,
  CHANNEL_PROVIDERS,
  parsePlaceholders,
  renderTemplate,
  SAMPLE_VALUES,
  type ChannelProvider,
} from '@toonbank/shared';
import { checkTone } from '@toonbank/tone';
import { PasswordHasher } from '@toonbank/users';
import { createScratchDatabase } from '../support/database';

/** API.md §Demo data, seeded idempotently: a second start changes nothing. */
describe('demo seed', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let db: DataSource;

  const snapshot = async () => ({
    organisations: await db.query('SELECT * FROM organisations ORDER BY slug'),
    users: await db.query('SELECT * FROM users ORDER BY email'),
    toneProfiles: await db.query('SELECT * FROM tone_profiles ORDER BY organisation_id'),
    templates: await db.query('SELECT * FROM templates ORDER BY organisation_id, name'),
  });

  beforeAll(async () => {
    scratch = await createScratchDatabase('toonbank_seed');
    db = new DataSource(dataSourceOptions({ url: scratch.url, poolSize: 2 }));
    await db.initialize();
    await runMigrationsLocked(db);
  });
  afterAll(async () => {
    await db.destroy();
    await scratch.drop();
  });

  it('creates the demo organisations and users of API.md', async () => {
    // The first user's insert is aborted once as a deadlock victim: the transaction runs
    // again, and the report counts what the committed run created, not both runs.
    await db.query('CREATE SEQUENCE test_seed_abort_once');
    await db.query(`CREATE FUNCTION test_seed_abort_once() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF nextval('test_seed_abort_once') = 1 THEN
          RAISE EXCEPTION 'forced deadlock' USING ERRCODE = '40P01';
        END IF;
        RETURN NEW;
      END $$`);
    await db.query(`CREATE TRIGGER test_seed_abort_once BEFORE INSERT ON users
      FOR EACH ROW EXECUTE FUNCTION test_seed_abort_once()`);
    try {
      expect(await seedDemo(db)).toEqual({ organisationsCreated: 2, usersCreated: 8 });
    } finally {
      await db.query('DROP TRIGGER test_seed_abort_once ON users');
      await db.query('DROP FUNCTION test_seed_abort_once()');
      await db.query('DROP SEQUENCE test_seed_abort_once');
    }
    const rows = (await db.query(`
      SELECT u.email, o.slug, o.name AS organisation, o.maturity_level AS level, u.role, u.trained_at IS NOT NULL AS trained,
             u.available, u.active
        FROM users u JOIN organisations o ON o.id = u.organisation_id ORDER BY u.email`)) as Record<
      string,
      unknown
    >[];
    expect(rows).toEqual(
      [
        ['admin@acme.test', 'acme', 'Acme', 'admin', false],
        ['admin@demo.test', 'demo', 'Demo Energie', 'admin', false],
        ['agent1@demo.test', 'demo', 'Demo Energie', 'agent', false],
        ['agent2@demo.test', 'demo', 'Demo Energie', 'agent', false],
        ['ambassador@demo.test', 'demo', 'Demo Energie', 'employee', true],
        ['comms@demo.test', 'demo', 'Demo Energie', 'communications', false],
        ['employee@demo.test', 'demo', 'Demo Energie', 'employee', false],
        ['lead@demo.test', 'demo', 'Demo Energie', 'team_lead', false],
      ].map(([email, slug, organisation, role, trained]) => ({
        email,
        slug,
        organisation,
        level: 1,
        role,
        trained,
        available: true,
        active: true,
      })),
    );
    const [{ password_hash: hash }] = (await db.query(
      "SELECT password_hash FROM users WHERE email = 'lead@demo.test'",
    )) as {
      password_hash: string;
    }[];
    expect(await new PasswordHasher().verify(hash, DEMO_PASSWORD)).toBe(true);
    expect(DEMO_ORGANISATIONS.map((o) => o.slug)).toEqual(['demo', 'acme']);
  });

  it('gives each demo organisation its tone profile and templates, every template clean on its channels', async () => {
    for (const demo of DEMO_ORGANISATIONS) {
      const [row] = (await db.query(
        `SELECT t.language, t.signoff_pattern FROM tone_profiles t JOIN organisations o ON o.id = t.organisation_id WHERE o.slug = $1`,
        [demo.slug],
      )) as { language: string; signoff_pattern: string }[];
      expect(row).toEqual({
        language: demo.tone.language,
        signoff_pattern: demo.tone.signoff.pattern,
      });
      const templates = (await db.query(
        `SELECT t.name, t.body, t.providers FROM templates t JOIN organisations o ON o.id = t.organisation_id
          WHERE o.slug = $1 ORDER BY t.name`,
        [demo.slug],
      )) as { name: string; body: string; providers: ChannelProvider[] }[];
      expect(templates.map((t) => t.name)).toEqual(demo.templates.map((t) => t.name).sort());
      for (const template of templates) {
        expect(parsePlaceholders(template.body).unknown).toEqual([]);
        const text = renderTemplate(
          template.body,
          SAMPLE_VALUES,
          Object.fromEntries(
            parsePlaceholders(template.body).inputs.map((name) => [name, 'Zwolle']),
          ),
        );
        const providers =
          template.providers.length > 0 ? template.providers : [...CHANNEL_PROVIDERS];
        for (const provider of providers) {
          const problems = checkTone({
            text,
            profile: demo.tone,
            provider,
            length: channelLengthRule(provider, false),
          }).filter((finding) => finding.severity !== 'info');
          expect({ template: template.name, provider, problems }).toEqual({
            template: template.name,
            provider,
            problems: [],
          });
        }
      }
    }
  });

  it('changes nothing the second time, not even what someone changed since', async () => {
    await db.query("UPDATE organisations SET maturity_level = 2 WHERE slug = 'demo'");
    await db.query("UPDATE users SET available = false WHERE email = 'agent1@demo.test'");
    const before = await snapshot();
    expect(await seedDemo(db)).toEqual({ organisationsCreated: 0, usersCreated: 0 });
    expect(await snapshot()).toEqual(before);
  });

  it('connects the demo organisation to the local demo channels once, with sealed secrets', async () => {
    const sealed: Record<string, unknown>[] = [];
    const seal = (secrets: Record<string, unknown>) => {
      sealed.push(secrets);
      return `sealed-${sealed.length}`;
    };
    expect(await seedDemoChannels(db, seal)).toBe(3);
    expect(await seedDemoChannels(db, seal)).toBe(0);
    const channels = (await db.query(
      `SELECT a.provider, a.credentials_encrypted, a.config FROM channel_accounts a
         JOIN organisations o ON o.id = a.organisation_id WHERE o.slug = 'demo' ORDER BY a.provider`,
    )) as { provider: string; credentials_encrypted: string; config: Record<string, unknown> }[];
    expect(channels.map((c) => c.provider)).toEqual(['bluesky', 'facebook', 'mastodon']);
    expect(channels.every((c) => c.credentials_encrypted.startsWith('sealed-'))).toBe(true);
    expect(JSON.stringify(channels.map((c) => c.config))).not.toMatch(/token|password/i);
  });

  it('adds back only a demo user that is missing', async () => {
    await db.query("DELETE FROM users WHERE email = 'employee@demo.test'");
    expect(await seedDemo(db)).toEqual({ organisationsCreated: 0, usersCreated: 1 });
  });
});
