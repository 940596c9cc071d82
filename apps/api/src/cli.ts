import 'reflect-metadata';
import { dataSourceOptions, runMigrationsLocked, withMigrationLock } from '@toonbank/database';
import { CredentialVault, loadEnvironment, type Environment } from '@toonbank/platform';
import { DataSource } from 'typeorm';
import { seedDemoChannels } from './cli/demo-channels';
import { seedDemo } from './cli/demo-seed';

const USAGE = 'usage: node apps/api/dist/cli.js migrate | migrate:revert | seed';
const say = (line: string) => process.stdout.write(`${line}\n`);

/** Operations outside the server: migrations (only the api image runs them) and the demo seed. */
async function main(command: string | undefined): Promise<void> {
  if (!command || !['migrate', 'migrate:revert', 'seed'].includes(command)) {
    throw new Error(USAGE);
  }
  const env = loadEnvironment(process.env);
  const db = new DataSource(
    dataSourceOptions({ url: env.DATABASE_URL, poolSize: 2, applicationName: 'toonbank-cli' }),
  );
  await db.initialize();
  try {
    if (command === 'migrate') {
      const applied = await runMigrationsLocked(db);
      say(
        applied.length
          ? `migrations applied: ${applied.map((m) => m.name).join(', ')}`
          : 'migrations: up to date',
      );
    } else if (command === 'migrate:revert') {
      await db.undoLastMigration({ transaction: 'each' });
      say('reverted the last migration');
    } else if (env.NODE_ENV === 'production' && !env.SEED_DEMO) {
      say('seed: skipped in production (set SEED_DEMO=true to seed the demo organisations)');
    } else {
      // Replicas start together: one seeds at a time (the demo channels are looked up, then added).
      const vault = new CredentialVault({ get: (key: keyof Environment) => env[key] } as never);
      const { report, channels } = await withMigrationLock(db, async () => ({
        report: await seedDemo(db),
        channels: await seedDemoChannels(db, (secrets, id) => vault.seal(secrets, id)),
      }));
      say(
        `seed: ${report.organisationsCreated} organisations, ${report.usersCreated} users and ${channels} demo channels created`,
      );
    }
  } finally {
    await db.destroy();
  }
}

main(process.argv[2]).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
