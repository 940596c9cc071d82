// Child processes of `npm start` and `npm test`: one-shot commands with the terminal's output,
// and long-running apps whose output lines are prefixed with their name.
// Node built-ins only: phase 1 (npm ci) uses it.
'use strict';

const readline = require('node:readline');
const { spawn } = require('node:child_process');
const { sleep } = require('./util.cjs');

const foreground = new Set();

/** [command, args] for npm: the npm that runs this script when there is one. */
function npmCommand(args) {
  const npmCli = process.env.npm_execpath;
  if (npmCli && /npm-cli\.c?js$/.test(npmCli)) return [process.execPath, [npmCli, ...args]];
  return [process.platform === 'win32' ? 'npm.cmd' : 'npm', args];
}

function describe(command, args) {
  if (command !== process.execPath) return [command, ...args].join(' ');
  if (/npm-cli\.c?js$/.test(args[0] ?? '')) return ['npm', ...args.slice(1)].join(' ');
  return ['node', ...args].join(' ');
}

/** Runs a command with the terminal's stdio; rejects when it fails. */
function runForeground(command, args, { env = process.env, cwd } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, cwd, stdio: 'inherit' });
    foreground.add(child);
    child.once('error', (error) => {
      foreground.delete(child);
      reject(new Error(`${describe(command, args)} could not start: ${error.message}`));
    });
    child.once('exit', (code, signal) => {
      foreground.delete(child);
      if (code === 0) return resolve();
      const how = signal ? `signal ${signal}` : `exit code ${code}`;
      const error = new Error(`\`${describe(command, args)}\` failed (${how})`);
      error.exitCode = code ?? 1;
      reject(error);
    });
  });
}

/** Passes a signal on to the running one-shot commands. */
function signalForeground(signal) {
  for (const child of foreground) child.kill(signal);
}

/**
 * Starts a long-running app whose stdout/stderr lines are written with "name │ " in front.
 * It gets its own process group, so only we decide when it stops (one signal, not the
 * terminal's Ctrl-C as well).
 */
function startApp({ name, command, args, env, cwd, labelWidth = name.length }) {
  const child = spawn(command, args, {
    env,
    cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const recent = [];
  const prefix = `${name.padEnd(labelWidth)} │ `;
  const relay = (stream, out) => {
    readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      recent.push(line);
      if (recent.length > 40) recent.shift();
      out.write(`${prefix}${line}\n`);
    });
  };
  relay(child.stdout, process.stdout);
  relay(child.stderr, process.stderr);
  const exited = new Promise((resolve) => {
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const running = () => child.exitCode === null && child.signalCode === null && child.pid;

  async function stop(timeoutMs = 10_000) {
    if (!running()) return;
    child.kill('SIGTERM');
    const done = await Promise.race([exited.then(() => true), sleep(timeoutMs).then(() => false)]);
    if (!done && running()) {
      child.kill('SIGKILL');
      await exited;
    }
  }

  return { name, child, exited, stop, recentOutput: () => recent.join('\n') };
}

module.exports = { npmCommand, runForeground, signalForeground, startApp };
