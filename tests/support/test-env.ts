/* eslint-disable @typescript-eslint/no-require-imports */
// Runs before every integration suite: the test configuration, unless `npm test` (or the
// caller) already set it. Never the development database.
const { testDatabaseUrl, DEFAULT_REDIS_URL } = require('../../scripts/lib/config.cjs') as {
  testDatabaseUrl: (env: NodeJS.ProcessEnv) => string;
  DEFAULT_REDIS_URL: string;
};

const defaults: Record<string, string> = {
  NODE_ENV: 'test',
  DATABASE_URL: testDatabaseUrl(process.env),
  REDIS_URL: DEFAULT_REDIS_URL,
  REDIS_PREFIX: 'toonbank-test',
  JWT_SECRET: 'test-jwt-secret-that-is-long-enough-0123456789',
  LOG_LEVEL: 'silent',
  CHANNEL_ALLOW_INSECURE_URLS: 'true',
  CHANNEL_ENCRYPTION_KEY: 'dGVzdC1jaGFubmVsLWVuY3J5cHRpb24ta2V5LTMyYnk=',
  DATABASE_POOL_SIZE: '4',
  // Sweeps look at every organisation in the shared test database: suites drive them themselves.
  SWEEP_INTERVAL_SECONDS: '0',
};
// npm test passes DATABASE_URL = the test database; a bare `npx jest` must not use the dev one.
process.env.DATABASE_URL = process.env.TEST_DATABASE_URL ?? defaults.DATABASE_URL;
for (const [key, value] of Object.entries(defaults)) process.env[key] ??= value;
process.env.NODE_ENV = 'test';
