// The services that Toonbank needs in development and tests, made reachable (see postgres.cjs
// and redis.cjs). Requires the installed dependencies (pg, ioredis): load it after phase 1.
'use strict';

const { ensurePostgres, ensureDatabase } = require('./postgres.cjs');
const { ensureRedis, redisMissingMessage } = require('./redis.cjs');
const { findFreePort, waitFor } = require('./util.cjs');

module.exports = {
  ensurePostgres,
  ensureDatabase,
  ensureRedis,
  redisMissingMessage,
  findFreePort,
  waitFor,
};
