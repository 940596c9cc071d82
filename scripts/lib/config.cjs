// Defaults and environment of `npm start` and `npm test`. Node built-ins only.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { randomBytes } = require('node:crypto');

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/toonbank';
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const TEST_DATABASE = 'toonbank_test';
const SECRET_NAMES = [
  'JWT_SECRET',
  'CURSOR_SECRET',
  'CHANNEL_ENCRYPTION_KEY',
  'META_APP_SECRET',
  'META_VERIFY_TOKEN',
];

/** TEST_DATABASE_URL, or the development URL with the database toonbank_test. */
function testDatabaseUrl(env) {
  if (env.TEST_DATABASE_URL) return env.TEST_DATABASE_URL;
  const url = new URL(env.DATABASE_URL || DEFAULT_DATABASE_URL);
  url.pathname = `/${TEST_DATABASE}`;
  return url.toString();
}

/** Fresh secrets: 32 random bytes each, base64. */
function generateSecrets() {
  return Object.fromEntries(SECRET_NAMES.map((name) => [name, randomBytes(32).toString('base64')]));
}

/**
 * The development secrets that env does not provide, kept in file (created on first use, 0600)
 * so that sessions and encrypted data survive restarts.
 */
function developmentSecrets(file, env) {
  const missing = SECRET_NAMES.filter((name) => !env[name]);
  if (missing.length === 0) return {};
  let stored = {};
  if (fs.existsSync(file)) {
    try {
      stored = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (error) {
      throw new Error(`${file} is not valid JSON (${error.message}); fix or delete it.`, {
        cause: error,
      });
    }
  }
  const fresh = generateSecrets();
  const added = missing.filter((name) => !stored[name]);
  if (added.length > 0) {
    for (const name of added) stored[name] = fresh[name];
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  }
  return Object.fromEntries(missing.map((name) => [name, stored[name]]));
}

/** The address a browser on this machine uses for a server listening on host:port. */
function browserUrl(host, port) {
  const local = { '0.0.0.0': '127.0.0.1', '::': '::1', '': '127.0.0.1' };
  const target = local[host] ?? host;
  return `http://${target.includes(':') ? `[${target}]` : target}:${port}`;
}

module.exports = {
  DEFAULT_DATABASE_URL,
  DEFAULT_REDIS_URL,
  SECRET_NAMES,
  testDatabaseUrl,
  generateSecrets,
  developmentSecrets,
  browserUrl,
};
