// `npm start`: from a fresh clone to a running Toonbank on this machine.
//  1. Node.js check and `npm ci` when node_modules is missing or stale (no dependencies needed).
//  2. PostgreSQL and Redis: the URLs if they answer, else private servers under .data/.
//  3. Development secrets, kept in .data/secrets.json unless the environment sets them.
//  4. Build, migrate, seed the demo data.
//  5. API and worker, with prefixed output, until Ctrl-C (or one of them dies).
// Every variable set in the environment wins over these defaults.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { checkNodeVersion, ensureDependencies } = require('./lib/bootstrap.cjs');
const { runForeground, signalForeground, startApp, npmCommand } = require('./lib/processes.cjs');
const config = require('./lib/config.cjs');
const { waitFor } = require('./lib/util.cjs');

const DEMO_LOGINS = [
  ['admin@demo.test', 'Demo Energie (demo), admin'],
  ['lead@demo.test', 'demo, team lead'],
  ['agent1@demo.test', 'demo, agent'],
  ['agent2@demo.test', 'demo, agent'],
  ['comms@demo.test', 'demo, communications'],
  ['ambassador@demo.test', 'demo, employee (trained ambassador)'],
  ['employee@demo.test', 'demo, employee (untrained)'],
  ['admin@acme.test', 'Acme (acme), admin'],
];
const HEALTH_TIMEOUT_MS = 60_000;

const log = (message) => console.log(`[start] ${message}`);
const cleanups = []; // run last-in first-out: apps before the servers they use

// Why we stop: { signal } when asked to, { failure } when an app died. Set once.
let stopReason = null;
let wakeOnStop;
const stopped = new Promise((resolve) => (wakeOnStop = resolve));
function requestStop(reason) {
  if (stopReason) return;
  stopReason = reason;
  wakeOnStop(reason);
}

class Interrupted extends Error {}
const checkStop = () => {
  if (stopReason) throw new Interrupted();
};

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (stopReason) return;
    log(`${signal} received, stopping`);
    requestStop({ signal });
    signalForeground(signal);
  });
}

async function prepareServices(env) {
  const { ensurePostgres, ensureDatabase, ensureRedis } = require('./lib/services.cjs');
  const dataDir = path.join(root, '.data');
  const postgres = await ensurePostgres({
    url: env.DATABASE_URL || config.DEFAULT_DATABASE_URL,
    dataDir: path.join(dataDir, 'postgres'),
    log,
  });
  cleanups.push(postgres.stop);
  checkStop();
  if ((await ensureDatabase(postgres.url)).created) log('Created the database');
  const redis = await ensureRedis({
    url: env.REDIS_URL || config.DEFAULT_REDIS_URL,
    dataDir: path.join(dataDir, 'redis'),
    log,
  });
  cleanups.push(redis.stop);
  checkStop();
  return { DATABASE_URL: postgres.url, REDIS_URL: redis.url };
}

function appEnvironment(serviceUrls) {
  const secrets = config.developmentSecrets(path.join(root, '.data', 'secrets.json'), process.env);
  return {
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    PORT: '3000',
    WEB_DIST_DIR: path.join(root, 'apps', 'web', 'dist'),
    // The demo's channels run on this machine (http://127.0.0.1): development only.
    CHANNEL_ALLOW_INSECURE_URLS: 'true',
    // ...and so does the directory that resolves the demo Bluesky account's DID.
    ...(process.env.DEMO_PEERS !== 'false'
      ? { BLUESKY_PLC_DIRECTORY_URL: 'http://127.0.0.1:4714' }
      : {}),
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    ...secrets,
    ...process.env,
    ...serviceUrls,
  };
}

function startApps(env) {
  const processes = [
    ['api', [path.join(root, 'apps', 'api', 'dist', 'main.js')]],
    ['worker', [path.join(root, 'apps', 'worker', 'dist', 'main.js')]],
  ];
  // Local fake channels with customers writing in, so that the demo inbox lives (DEMO_PEERS=false: none).
  if (env.DEMO_PEERS !== 'false') {
    processes.push(['demo', [path.join(root, 'scripts', 'demo-peers', 'dist', 'main.js')]]);
  }
  const apps = processes.map(([name, args]) =>
    startApp({
      name,
      command: process.execPath,
      args,
      env,
      cwd: root,
      labelWidth: 6,
    }),
  );
  cleanups.push(() => Promise.all(apps.map((app) => app.stop())));
  for (const app of apps) {
    app.exited.then(({ code, signal, error }) => {
      const how = error ? error.message : signal ? `signal ${signal}` : `exit code ${code}`;
      requestStop({ failure: `${app.name} stopped unexpectedly (${how})` });
    });
  }
  return apps;
}

async function waitUntilHealthy(env, apps) {
  const url = `${config.browserUrl(env.HOST, env.PORT)}/api/health`;
  try {
    await waitFor(
      async () => {
        checkStop();
        let response;
        try {
          response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
        } catch (error) {
          throw new Error(error.cause?.code || error.message, { cause: error });
        }
        if (response.status !== 200) throw new Error(`it answered ${response.status}`);
        return true;
      },
      { timeoutMs: HEALTH_TIMEOUT_MS, intervalMs: 500, what: `GET ${url} to answer 200` },
    );
  } catch (error) {
    if (stopReason) throw new Interrupted();
    const output = apps.map((app) => `--- last output of ${app.name} ---\n${app.recentOutput()}`);
    throw new Error(`${error.message}\n${output.join('\n')}`, { cause: error });
  }
}

function printWelcome(env) {
  const width = Math.max(...DEMO_LOGINS.map(([email]) => email.length));
  console.log(
    [
      '',
      `Toonbank is running: ${config.browserUrl(env.HOST, env.PORT)}/`,
      'Demo logins (password: demo-password):',
      ...DEMO_LOGINS.map(([email, what]) => `  ${email.padEnd(width)}  ${what}`),
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
}

async function main() {
  checkNodeVersion();
  await ensureDependencies(root, log);
  checkStop();
  const serviceUrls = await prepareServices(process.env);
  const env = appEnvironment(serviceUrls);
  const node = process.execPath;
  const cli = path.join(root, 'apps', 'api', 'dist', 'cli.js');
  for (const [command, args] of [
    npmCommand(['run', 'build']),
    [node, [cli, 'migrate']],
    [node, [cli, 'seed']],
  ]) {
    await runForeground(command, args, { env, cwd: root });
    checkStop();
  }
  const apps = startApps(env);
  await waitUntilHealthy(env, apps);
  printWelcome(env);
  await stopped;
}

async function cleanUp() {
  for (const cleanup of cleanups.reverse()) {
    try {
      await cleanup();
    } catch (error) {
      console.error(`[start] ${error.message}`);
    }
  }
}

let exitCode = 0;
try {
  await main();
} catch (error) {
  // A command cut short by our own stop is no news; anything else is.
  if (!(error instanceof Interrupted) && !stopReason?.signal) {
    console.error(`\n[start] ${error.message}`);
    exitCode = error.exitCode || 1;
  }
}
if (stopReason?.failure) {
  console.error(`\n[start] ${stopReason.failure}`);
  exitCode = 1;
}
requestStop({ cleanup: true }); // apps that exit from here on are being stopped by us
await cleanUp();
process.exit(exitCode);
