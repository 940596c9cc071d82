// The services that Toonbank needs in development and tests, made reachable (see postgres.cjs
// and redis.cjs), and the browser that the browser suites drive (chromium.cjs). Requires the
// installed dependencies (pg, ioredis): load it after phase 1.
'use strict';

const { ensurePostgres, ensureDatabase, recreateTestDatabase } = require('./postgres.cjs');
const { ensureRedis, redisMissingMessage } = require('./redis.cjs');
const { ensureChromium, chromiumMissingMessage } = require('./chromium.cjs');
const { findFreePort, waitFor } = require('./util.cjs');

module.exports = {
  ensurePostgres,
  ensureDatabase,
  recreateTestDatabase,
  ensureRedis,
  redisMissingMessage,
  ensureChromium,
  chromiumMissingMessage,
  findFreePort,
  waitFor,
};
