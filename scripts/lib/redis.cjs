// Redis for development and tests: use the server at the URL when it answers, otherwise (local
// URLs only) start a private redis-server from PATH that keeps nothing on disk.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const {
  waitFor,
  isLocalHost,
  redact,
  withHost,
  findOnPath,
  runCaptured,
  tailFile,
  isProcessAlive,
} = require('./util.cjs');

function redisMissingMessage(url) {
  return (
    `Redis does not answer at ${redact(url)} and no redis-server binary was found on PATH. ` +
    'Install Redis (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis) ' +
    'or set REDIS_URL to a running Redis server.'
  );
}

/** True when Redis answers PING at url; false when nothing answers. */
async function redisAnswers(url) {
  const Redis = require('ioredis');
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 3_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch (error) {
    if (error.name === 'ReplyError') {
      throw new Error(`Redis at ${redact(url)} answered but refused: ${error.message}`, {
        cause: error,
      });
    }
    return false;
  } finally {
    if (client.status !== 'end') client.disconnect(); // else it waits 2 s on a closed socket
  }
}

/**
 * Makes Redis reachable at url: { url, started, stop() }. started is true when this call started
 * a private redis-server (working directory dataDir); then url points at 127.0.0.1.
 */
async function ensureRedis({ url, dataDir, log = () => {} }) {
  if (await redisAnswers(url)) {
    log(`Redis: using ${redact(url)}`);
    return { url, started: false, stop: async () => {} };
  }
  const parsed = new URL(url);
  if (!isLocalHost(parsed.hostname)) {
    throw new Error(
      `Redis does not answer at ${redact(url)}. Start that server or set REDIS_URL to one that runs.`,
    );
  }
  const binary = findOnPath('redis-server');
  if (!binary) throw new Error(redisMissingMessage(url));

  const dir = path.resolve(dataDir);
  const pidFile = path.join(dir, 'redis.pid');
  const logFile = path.join(dir, 'redis.log');
  const port = parsed.port || '6379';
  fs.mkdirSync(dir, { recursive: true });
  fs.rmSync(pidFile, { force: true });
  const args = [
    '--port',
    port,
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    'no',
  ];
  args.push('--daemonize', 'yes', '--pidfile', pidFile, '--logfile', logFile);
  if (parsed.password) args.push('--requirepass', decodeURIComponent(parsed.password));

  log(`Starting a private Redis on 127.0.0.1:${port} (${dir}, log ${logFile})`);
  // Own session: the terminal's Ctrl-C must not stop it before the apps have shut down.
  await runCaptured(binary, args, { detached: true });
  const privateUrl = withHost(url, '127.0.0.1');
  let pid;
  try {
    await waitFor(() => redisAnswers(privateUrl), { timeoutMs: 30_000, what: 'Redis' });
    pid = await waitFor(() => Number(fs.readFileSync(pidFile, 'utf8')), { what: pidFile });
  } catch (error) {
    throw new Error(`${error.message}\n${tailFile(logFile)}`, { cause: error });
  }

  let stopped = false;
  async function stop() {
    if (stopped) return;
    stopped = true;
    log(`Stopping the private Redis on 127.0.0.1:${port}`);
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      return; // already gone
    }
    // Gone, or at least no longer answering (an unreaped daemon can linger as a zombie).
    await waitFor(async () => !isProcessAlive(pid) || !(await redisAnswers(privateUrl)), {
      timeoutMs: 15_000,
      what: 'Redis to stop',
    });
  }
  return { url: privateUrl, started: true, stop };
}

module.exports = { ensureRedis, redisAnswers, redisMissingMessage };
