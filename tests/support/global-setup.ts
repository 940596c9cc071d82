/* eslint-disable @typescript-eslint/no-require-imports */
// Once per run: the test database exists. Each suite migrates it (under an advisory lock)
// when it first connects, see tests/support/database.ts.
const { testDatabaseUrl } = require('../../scripts/lib/config.cjs') as {
  testDatabaseUrl: (env: NodeJS.ProcessEnv) => string;
};
const { ensureDatabase } = require('../../scripts/lib/services.cjs') as {
  ensureDatabase: (url: string) => Promise<{ created: boolean }>;
};

export default async function globalSetup(): Promise<void> {
  await ensureDatabase(process.env.TEST_DATABASE_URL ?? testDatabaseUrl(process.env));
}
