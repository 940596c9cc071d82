// Small helpers shared by the service bootstrap: waiting, ports, executables, child commands.
// Node built-ins only.
'use strict';

const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { spawn } = require('node:child_process');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Calls fn until it returns (or resolves to) a truthy value, which is returned.
 * A falsy result or a thrown error means "not yet"; after timeoutMs the last error is reported.
 */
async function waitFor(fn, { timeoutMs = 30_000, intervalMs = 250, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const reason = lastError ? `: ${lastError.message}` : '';
      throw new Error(
        `Timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${reason}`,
      );
    }
    await sleep(intervalMs);
  }
}

/** A TCP port that was free on host a moment ago (the OS picks it). */
function findFreePort(host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** True for the host names that mean "this machine" in a service URL. */
function isLocalHost(hostname) {
  return ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(hostname);
}

/** The URL with its password hidden, for messages. */
function redact(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return String(url);
  }
}

/** The URL with another host name (keeps user, password, port, path and query). */
function withHost(url, hostname) {
  const parsed = new URL(url);
  parsed.hostname = hostname;
  return parsed.toString();
}

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The first executable called name in the PATH directories, or null. */
function findOnPath(name, pathValue = process.env.PATH || '') {
  for (const dir of pathValue.split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, name))) return path.join(dir, name);
  }
  return null;
}

/**
 * Runs a command to completion with its output captured; rejects with the output when it fails.
 * detached puts it in its own session, so a daemon it leaves behind does not get the terminal's Ctrl-C.
 */
function runCaptured(command, args, { env = process.env, cwd, detached = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, cwd, detached, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code === 0) return resolve(output);
      const how = signal ? `signal ${signal}` : `exit code ${code}`;
      const error = new Error(`${[command, ...args].join(' ')} failed (${how})\n${output.trim()}`);
      error.exitCode = code;
      error.output = output;
      reject(error);
    });
  });
}

/** The last lines of a text file, or '' when it cannot be read. */
function tailFile(file, lines = 20) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

function isProcessAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

module.exports = {
  sleep,
  waitFor,
  findFreePort,
  isLocalHost,
  redact,
  withHost,
  isExecutable,
  findOnPath,
  runCaptured,
  tailFile,
  isProcessAlive,
};
