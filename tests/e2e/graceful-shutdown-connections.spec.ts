// Keep-alive connections across SIGTERM (issue 13, item 9). Clients that hold keep-alive
// connections send requests back to back, before and after the signal, to the built api as a
// child process. No request that reached the api is reset: each is answered, and once the api
// is stopping its answers say `Connection: close`, so that clients open a new connection (to
// another replica; here, refused, since nobody listens any more). (`npm test` builds first.)
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { exitOf, removeRedisKeys, ROOT } from '../support/built-stack';
import { closeTestDatabase, testDatabase } from '../support/database';
import { sleep } from '../support/socket-client';
import { uniqueRedisPrefix } from '../support/test-worker';

/* eslint-disable @typescript-eslint/no-require-imports */
const { findFreePort, waitFor } = require('../../scripts/lib/services.cjs') as {
  findFreePort: () => Promise<number>;
  waitFor: <T>(
    check: () => Promise<T>,
    options: { timeoutMs: number; what?: string },
  ) => Promise<T>;
};

const CLIENTS = 8;

interface Outcome {
  sentAt: number;
  answeredAt?: number;
  status?: number;
  connection?: string;
  error?: string;
}

describe('the built api stopping on SIGTERM under keep-alive traffic', () => {
  const redisPrefix = uniqueRedisPrefix('keepalive');
  let api: ChildProcess;
  let port: number;
  const output: string[] = [];

  beforeAll(async () => {
    const script = join(ROOT, 'apps/api/dist/main.js');
    if (!existsSync(script)) throw new Error('Build first (npm run build): missing ' + script);
    await testDatabase();
    port = await findFreePort();
    api = spawn(process.execPath, [script], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        PORT: String(port),
        HOST: '127.0.0.1',
        REDIS_PREFIX: redisPrefix,
        CHANNEL_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
        CHANNEL_ALLOW_INSECURE_URLS: 'false',
        SHUTDOWN_DELAY_SECONDS: '0',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    api.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    api.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    try {
      await waitFor(
        async () => {
          if (api.exitCode !== null) throw new Error(`the built api exited (${api.exitCode})`);
          const answer = await fetch(`http://127.0.0.1:${port}/api/health/live`).catch(() => null);
          return answer?.status === 200 || undefined;
        },
        { timeoutMs: 40_000, what: 'the built api to answer' },
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${output.join('')}`, { cause: error });
    }
  }, 60_000);
  afterAll(async () => {
    if (api.exitCode === null && api.signalCode === null) api.kill('SIGKILL');
    await removeRedisKeys(redisPrefix);
    await closeTestDatabase();
  });

  it('answers every request that reached it, says Connection: close once stopping, and resets none', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
    const outcomes: Outcome[] = [];
    const send = () =>
      new Promise<Outcome>((resolve) => {
        const outcome: Outcome = { sentAt: Date.now() };
        const req = request(
          { agent, host: '127.0.0.1', port, path: '/api/health/live', method: 'GET' },
          (response) => {
            response.resume();
            response.once('end', () => {
              outcome.answeredAt = Date.now();
              outcome.status = response.statusCode;
              outcome.connection = String(response.headers.connection ?? '');
              resolve(outcome);
            });
          },
        );
        req.once('error', (error: NodeJS.ErrnoException) => {
          outcome.error = error.code ?? error.message;
          resolve(outcome);
        });
        req.end();
      });

    let signalledAt = Number.POSITIVE_INFINITY;
    const client = async () => {
      // Back to back, until the api refuses new connections (it stopped listening).
      for (;;) {
        const outcome = await send();
        outcomes.push(outcome);
        if (outcome.error === 'ECONNREFUSED') return;
        if (Date.now() - signalledAt > 10_000) throw new Error('the api never stopped listening');
      }
    };
    const clients = Array.from({ length: CLIENTS }, () => client());
    await sleep(500);
    signalledAt = Date.now();
    api.kill('SIGTERM');
    await Promise.all(clients);
    agent.destroy();

    const failures = outcomes.filter((o) => o.error && o.error !== 'ECONNREFUSED');
    expect(failures).toEqual([]);
    const answered = outcomes.filter((o) => o.status !== undefined);
    expect(answered.every((o) => o.status === 200)).toBe(true);
    expect(answered.filter((o) => o.sentAt < signalledAt).length).toBeGreaterThan(CLIENTS);
    // Stopping: from its first `Connection: close` on, every answer closes its connection.
    const closing = answered.filter((o) => o.connection?.toLowerCase() === 'close');
    expect(closing.length).toBeGreaterThan(0);
    const stoppingSince = Math.min(...closing.map((o) => o.answeredAt as number));
    expect(stoppingSince).toBeGreaterThanOrEqual(signalledAt);
    const later = answered.filter((o) => o.sentAt > stoppingSince);
    expect(later.filter((o) => o.connection?.toLowerCase() !== 'close')).toEqual([]);
    expect(await exitOf(api)).toBe(0);
    expect(output.join('')).not.toMatch(/did not stop within the grace period/);
  }, 60_000);
});
