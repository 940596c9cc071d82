import 'reflect-metadata';
import { dataSourceOptions, runMigrationsLocked } from '@toonbank/database';
import { loadEnvironment } from '@toonbank/platform';
import { DataSource } from 'typeorm';
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
      const report = await seedDemo(db);
      say(
        `seed: ${report.organisationsCreated} organisations and ${report.usersCreated} users created`,
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
