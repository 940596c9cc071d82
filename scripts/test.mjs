// `npm test [-- jest args]`: every test suite against a test database of its own.
//  1. Node.js check and `npm ci` when node_modules is missing or stale.
//  2. PostgreSQL and Redis as for `npm start`, but the database is TEST_DATABASE_URL or the
//     development URL's server with the database toonbank_test (dropped and created empty on every run), and Redis keys are prefixed;
//     Debian's chromium for the browser suites, installed with apt-get when it is missing
//     (when it cannot be, only those suites fail, saying what to install).
//  3. Throwaway secrets, `npm run build` (e2e suites spawn the built apps), then Jest.
// Exits with Jest's code. When the preparation fails, the last line is "0 passed, 1 failed".
// Every variable set in the environment wins over these defaults.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { checkNodeVersion, ensureDependencies } = require('./lib/bootstrap.cjs');
const { runForeground, npmCommand } = require('./lib/processes.cjs');
const config = require('./lib/config.cjs');
const session = require('./lib/session.cjs').createSession('test');
const { log, checkInterrupted } = session;

async function prepare() {
  checkNodeVersion();
  await ensureDependencies(root, log);
  checkInterrupted();
  const { postgresUrl, redisUrl } = await session.testServices(root, { freshDatabase: true });
  await require('./lib/services.cjs').ensureChromium({ log });
  checkInterrupted();
  const env = {
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    REDIS_PREFIX: 'toonbank-test',
    ...config.generateSecrets(),
    ...process.env,
    DATABASE_URL: postgresUrl,
    TEST_DATABASE_URL: postgresUrl,
    REDIS_URL: redisUrl,
  };
  await runForeground(...npmCommand(['run', 'build']), { env, cwd: root });
  checkInterrupted();
  return env;
}

let env;
try {
  env = await prepare();
} catch (error) {
  console.error(`\n[test] Preparation failed: ${error.message}`);
  await session.cleanUp();
  console.log('\n0 passed, 1 failed');
  process.exit(1);
}

let exitCode;
try {
  const jest = path.join(root, 'node_modules', '.bin', 'jest');
  await runForeground(jest, process.argv.slice(2), { env, cwd: root });
  exitCode = 0;
} catch (error) {
  exitCode = error.exitCode || 1;
  if (!error.exitCode) {
    console.error(`[test] ${error.message}`); // Jest never ran
    console.log('\n0 passed, 1 failed');
  }
}
session.quieten(); // nothing may follow Jest's "N passed, N failed" line
await session.cleanUp();
process.exit(exitCode);
