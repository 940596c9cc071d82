import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { JwtService } from '@nestjs/jwt';
import { AccessTokens } from '@toonbank/auth';
import { Redis } from 'ioredis';
import { testDatabase } from './database';
import { newSession } from './factories';
import { uniqueRedisPrefix } from './test-worker';

/* eslint-disable @typescript-eslint/no-require-imports */
const { findFreePort, waitFor } = require('../../scripts/lib/services.cjs') as {
  findFreePort: () => Promise<number>;
  waitFor: <T>(
    check: () => Promise<T>,
    options: { timeoutMs: number; what?: string },
  ) => Promise<T>;
};

export const ROOT = join(__dirname, '..', '..');
const BUILT = ['apps/api/dist/main.js', 'apps/worker/dist/main.js', 'apps/web/dist/index.html'];

/** The built api and worker, running as `npm start` runs them, on a port and Redis prefix of their own. */
export interface BuiltStack {
  /** `http://127.0.0.1:<port>`: the API and, from the same origin, the built web app. */
  url: string;
  port: number;
  redisPrefix: string;
  api: ChildProcess;
  worker: ChildProcess;
  /** Everything both processes wrote, in arrival order (for failure messages and log checks). */
  output: string[];
  /**
   * SIGTERM to both, SIGKILL to what has not exited after `graceMs`, then the stack's keys are
   * removed from Redis. Safe to call twice, and after the processes were stopped another way.
   */
  stop(graceMs?: number): Promise<void>;
}

/** Resolves with a child's exit code (null after a signal) once it has exited. */
export const exitOf = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });

/** Removes every key under a Redis prefix (queues, schedulers, heartbeats, counters). */
export async function removeRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(process.env.REDIS_URL as string, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** Throws the instruction to build when a suite would otherwise start stale or missing apps. */
export function assertBuilt(): void {
  const missing = BUILT.filter((file) => !existsSync(join(ROOT, file)));
  if (missing.length > 0)
    throw new Error(`Build first (npm run build): missing ${missing.join(', ')}`);
}

/**
 * Starts `apps/api/dist/main.js` and `apps/worker/dist/main.js` against the test database
 * (migrated first) with NODE_ENV=production, a free port, a unique REDIS_PREFIX and the
 * built web app served from the api's origin; resolves once /api/health answers 200.
 * `env` is added last. On a failed start both are stopped and their output is in the error.
 */
export async function startBuiltStack(
  name: string,
  env: Record<string, string> = {},
): Promise<BuiltStack> {
  assertBuilt();
  await testDatabase();
  const port = await findFreePort();
  const redisPrefix = uniqueRedisPrefix(name);
  const output: string[] = [];
  const fullEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    REDIS_PREFIX: redisPrefix,
    CHANNEL_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
    CHANNEL_ALLOW_INSECURE_URLS: 'false',
    WEB_DIST_DIR: join(ROOT, 'apps/web/dist'),
    LOG_LEVEL: 'info',
    ...env,
  };
  const start = (script: string) => {
    const child = spawn(process.execPath, [script], {
      cwd: ROOT,
      env: fullEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    return child;
  };
  const api = start('apps/api/dist/main.js');
  const worker = start('apps/worker/dist/main.js');
  const url = `http://127.0.0.1:${port}`;

  const stop = async (graceMs = 10_000) => {
    await Promise.all(
      [api, worker].map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exitOf(child);
        clearTimeout(timer);
      }),
    );
    await removeRedisKeys(redisPrefix);
  };

  try {
    const outcome = await waitFor(
      async () => {
        if (api.exitCode !== null || api.signalCode !== null) return 'exited';
        return (await fetch(`${url}/api/health`)).status === 200 ? 'healthy' : undefined;
      },
      { timeoutMs: 30_000, what: 'the built api to answer /api/health' },
    );
    if (outcome === 'exited')
      throw new Error(`The built api exited (code ${api.exitCode}) before it answered /api/health`);
  } catch (error) {
    await stop(2_000);
    throw new Error(`${(error as Error).message}\n${output.join('')}`, { cause: error });
  }
  return { url, port, redisPrefix, api, worker, output, stop };
}

/**
 * Signs a user in to the built apps without a password (no hashing): a session row as a login
 * leaves it, in the database of DATABASE_URL, and an access token signed with JWT_SECRET, the
 * secret the built api inherits from this process.
 */
export async function builtAccessToken(
  user: { id: string; organisationId: string },
  userAgent = 'jest',
): Promise<string> {
  const sid = await newSession(await testDatabase(), user, userAgent);
  // An expiry as the api's own tokens have one (the api drops a socket at its token's expiry):
  // an hour, which ACCESS_TOKEN_TTL_SECONDS allows, outlasts any benchmark's sockets.
  const tokens = new AccessTokens(
    new JwtService({ secret: process.env.JWT_SECRET, signOptions: { expiresIn: 3600 } }),
  );
  return tokens.sign({ sub: user.id, org: user.organisationId, sid });
}
