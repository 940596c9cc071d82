// `npm run bench [-- jest args]`: the benchmarks of issue 7 (tests/bench/), results in
// docs/benchmarks.md.
//  1. Node.js check and `npm ci` when node_modules is missing or stale.
//  2. PostgreSQL and Redis as for `npm test` (scripts/lib/services.cjs). Each benchmark creates
//     a scratch database of its own on that server and drops it afterwards (never the
//     development or the test database), and uses a Redis prefix of its own.
//  3. Throwaway secrets, then Jest with tests/bench/jest.config.js (one test that runs them all).
// BENCH_ONLY=id,id runs some; BENCH_SCALE=smoke runs tiny sizes (what `npm test` does);
// BENCH_OUT=file writes the report there. Every variable set in the environment wins.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { checkNodeVersion, ensureDependencies } = require('./lib/bootstrap.cjs');
const { runForeground } = require('./lib/processes.cjs');
const config = require('./lib/config.cjs');
const session = require('./lib/session.cjs').createSession('bench');
const { log, checkInterrupted } = session;

/** The command as typed, with the variables that change what it measures. */
function commandLine() {
  const vars = ['BENCH_SCALE', 'BENCH_ONLY']
    .filter((name) => process.env[name])
    .map((name) => `${name}=${process.env[name]}`);
  const args = process.argv.slice(2);
  return [...vars, 'npm run bench', ...(args.length ? ['--', ...args] : [])].join(' ');
}

async function prepare() {
  checkNodeVersion();
  await ensureDependencies(root, log);
  checkInterrupted();
  // The server of the test database; its database itself is never created nor used here.
  const { postgresUrl, redisUrl } = await session.testServices(root);
  return {
    REDIS_PREFIX: 'toonbank-bench',
    ...config.generateSecrets(),
    ...process.env,
    TEST_DATABASE_URL: postgresUrl,
    REDIS_URL: redisUrl,
    BENCH_COMMAND: commandLine(),
  };
}

let env;
try {
  env = await prepare();
} catch (error) {
  console.error(`\n[bench] Preparation failed: ${error.message}`);
  await session.cleanUp();
  process.exit(1);
}

let exitCode = 0;
try {
  const jest = path.join(root, 'node_modules', '.bin', 'jest');
  const jestConfig = path.join('tests', 'bench', 'jest.config.js');
  await runForeground(jest, ['--config', jestConfig, '--runInBand', ...process.argv.slice(2)], {
    env,
    cwd: root,
  });
} catch (error) {
  exitCode = error.exitCode || 1;
  if (!error.exitCode) console.error(`[bench] ${error.message}`);
}
await session.cleanUp();
process.exit(exitCode);
