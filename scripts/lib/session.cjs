// What `npm test` (scripts/test.mjs) and `npm run bench` (scripts/bench.mjs) share: log lines
// with a tag, a signal that stops the foreground child and the preparation, clean-ups run in
// reverse order, and PostgreSQL and Redis for the test server.
const path = require('node:path');
const { signalForeground } = require('./processes.cjs');
const config = require('./config.cjs');

function createSession(tag) {
  const cleanups = [];
  let interrupted = null;
  let quiet = false;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      interrupted = signal;
      signalForeground(signal);
    });
  }
  const session = {
    log: (message) => quiet || console.log(`[${tag}] ${message}`),
    /** Nothing more on the terminal (after Jest's last line). */
    quieten: () => {
      quiet = true;
    },
    checkInterrupted: () => {
      if (interrupted) throw new Error(`Interrupted (${interrupted})`);
    },
    async cleanUp() {
      for (const cleanup of cleanups.splice(0).reverse()) {
        try {
          await cleanup();
        } catch (error) {
          console.error(`[${tag}] ${error.message}`);
        }
      }
    },
    /**
     * PostgreSQL on the test database's server (TEST_DATABASE_URL, or the development URL's
     * server with the database toonbank_test) and Redis, started under `<root>/.data` when not
     * reachable and stopped again by cleanUp(). `freshDatabase`: the test database, emptied (dropped and created).
     */
    async testServices(root, { freshDatabase = false } = {}) {
      const { ensurePostgres, recreateTestDatabase, ensureRedis } = require('./services.cjs');
      const dataDir = path.join(root, '.data');
      const postgres = await ensurePostgres({
        url: config.testDatabaseUrl(process.env),
        dataDir: path.join(dataDir, 'postgres'),
        log: session.log,
      });
      cleanups.push(postgres.stop);
      session.checkInterrupted();
      if (freshDatabase) {
        await recreateTestDatabase(postgres.url);
        session.log('Created an empty test database');
      }
      const redis = await ensureRedis({
        url: process.env.REDIS_URL || config.DEFAULT_REDIS_URL,
        dataDir: path.join(dataDir, 'redis'),
        log: session.log,
      });
      cleanups.push(redis.stop);
      session.checkInterrupted();
      return { postgresUrl: postgres.url, redisUrl: redis.url };
    },
  };
  return session;
}

module.exports = { createSession };
