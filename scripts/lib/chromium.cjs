// Chromium for the browser suites (tests/e2e/browser-*.spec.ts): Debian's package, never a
// browser that a test tool downloads. `npm test` installs it when it is missing and it can
// (root with apt-get); otherwise those suites fail with chromiumMissingMessage().
// Node built-ins only.
'use strict';

const { isExecutable, findOnPath, runCaptured } = require('./util.cjs');

const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** Where the browser suites look for Chromium: CHROMIUM_PATH, else Debian's /usr/bin/chromium. */
function chromiumPath(env = process.env) {
  return env.CHROMIUM_PATH || DEFAULT_CHROMIUM;
}

function chromiumMissingMessage(file = chromiumPath()) {
  return (
    `Chromium is not installed at ${file}; the browser suites (tests/e2e/browser-*.spec.ts) need it. ` +
    "Install Debian's package: sudo apt-get update && sudo apt-get install -y chromium " +
    '(`npm test` does this itself when it runs as root), ' +
    'or set CHROMIUM_PATH to a Chromium or Chrome executable. Never `npx playwright install`.'
  );
}

/**
 * Makes Chromium present: { path, installed } when it is (installed: this call put it there),
 * { path: null, problem } when it is not and could not be installed. Never throws: the other
 * suites do not need a browser, and the browser suites report the problem themselves.
 */
async function ensureChromium({ env = process.env, log = () => {} } = {}) {
  const file = chromiumPath(env);
  if (isExecutable(file)) return { path: file, installed: false };
  const cannot = (why) => {
    const problem = `${why}. ${chromiumMissingMessage(file)}`;
    log(problem);
    return { path: null, problem };
  };
  if (file !== DEFAULT_CHROMIUM) return cannot(`CHROMIUM_PATH (${file}) is not an executable`);
  const aptGet = findOnPath('apt-get', env.PATH);
  if (process.platform !== 'linux' || !aptGet) return cannot('There is no apt-get here');
  if (typeof process.getuid !== 'function' || process.getuid() !== 0)
    return cannot('Not root, so apt-get cannot install it unasked');

  log("Chromium is missing: installing Debian's package (apt-get install -y chromium) …");
  const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
  // Wait for another apt/dpkg run instead of failing on its lock.
  const lock = ['-o', 'DPkg::Lock::Timeout=300'];
  try {
    await runCaptured(aptGet, ['-q', ...lock, 'update'], { env: aptEnv });
    await runCaptured(aptGet, ['-q', '-y', ...lock, 'install', 'chromium'], { env: aptEnv });
  } catch (error) {
    const lastLines = error.message.trim().split('\n').slice(-5).join('\n');
    return cannot(`apt-get could not install chromium:\n${lastLines}\n`);
  }
  if (!isExecutable(file)) return cannot(`apt-get installed chromium, but ${file} is not there`);
  log(`Chromium installed at ${file}`);
  return { path: file, installed: true };
}

module.exports = { DEFAULT_CHROMIUM, chromiumPath, chromiumMissingMessage, ensureChromium };
