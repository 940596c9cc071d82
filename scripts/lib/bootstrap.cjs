// Phase 1 of `npm start` and `npm test`: a Node.js that is new enough and installed dependencies.
// Node built-ins only: this runs before node_modules exists.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { runForeground, npmCommand } = require('./processes.cjs');

const MINIMUM_NODE = '20.19.0';

/** -1, 0 or 1 as version a is older than, equal to or newer than b ("20.19.0" style). */
function compareVersions(a, b) {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i += 1) {
    if ((pa[i] || 0) !== (pb[i] || 0)) return (pa[i] || 0) < (pb[i] || 0) ? -1 : 1;
  }
  return 0;
}

/** Throws a readable error when this Node.js is older than the project needs. */
function checkNodeVersion(version = process.versions.node) {
  if (compareVersions(version, MINIMUM_NODE) < 0) {
    throw new Error(`Toonbank needs Node.js ${MINIMUM_NODE} or newer; this is ${version}.`);
  }
}

/**
 * Which install is due: 'ci' (there is a lock), 'install' (there is none) or null (up to date).
 * installedMtimeMs is that of node_modules/.package-lock.json, null when it (or node_modules) is missing.
 */
function installNeeded({ lockMtimeMs, installedMtimeMs }) {
  const hasLock = lockMtimeMs !== null;
  const due = installedMtimeMs === null || (hasLock && lockMtimeMs > installedMtimeMs);
  if (!due) return null;
  return hasLock ? 'ci' : 'install';
}

function mtimeMs(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return null;
  }
}

/** Runs `npm ci` (or `npm install` without a lock) when node_modules is missing or stale. */
async function ensureDependencies(root, log) {
  const command = installNeeded({
    lockMtimeMs: mtimeMs(path.join(root, 'package-lock.json')),
    installedMtimeMs: mtimeMs(path.join(root, 'node_modules', '.package-lock.json')),
  });
  if (!command) return;
  log(`Installing dependencies (npm ${command})`);
  await runForeground(...npmCommand([command]), { cwd: root });
}

module.exports = {
  MINIMUM_NODE,
  compareVersions,
  checkNodeVersion,
  installNeeded,
  ensureDependencies,
};
