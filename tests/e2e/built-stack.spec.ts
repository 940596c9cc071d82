import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { closeTestDatabase, testDatabase } from '../support/database';
import { newStaffedOrganisation, TEST_PASSWORD } from '../support/factories';

/* eslint-disable @typescript-eslint/no-require-imports */
const { findFreePort, waitFor } = require('../../scripts/lib/services.cjs') as {
  findFreePort: () => Promise<number>;
  waitFor: <T>(
    check: () => Promise<T>,
    options: { timeoutMs: number; what?: string },
  ) => Promise<T>;
};

const ROOT = join(__dirname, '..', '..');
const BUILT = ['apps/api/dist/main.js', 'apps/worker/dist/main.js', 'apps/web/dist/index.html'];

/**
 * The built api and worker as `npm start` runs them: separate processes, the web app served
 * from the api's origin, a clean stop on SIGTERM. (`npm test` builds before running Jest.)
 */
describe('the built stack', () => {
  let port: number;
  let api: ChildProcess;
  let worker: ChildProcess;
  const output: string[] = [];
  const base = () => `http://127.0.0.1:${port}`;

  const start = (script: string, env: NodeJS.ProcessEnv) => {
    const child = spawn(process.execPath, [script], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    return child;
  };
  const exitOf = (child: ChildProcess) =>
    new Promise<number | null>((resolve) => {
      if (child.exitCode !== null) resolve(child.exitCode);
      else child.once('exit', (code) => resolve(code));
    });

  beforeAll(async () => {
    const missing = BUILT.filter((file) => !existsSync(join(ROOT, file)));
    if (missing.length > 0)
      throw new Error(`Build first (npm run build): missing ${missing.join(', ')}`);
    await testDatabase(); // migrated
    port = await findFreePort();
    const env = {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      REDIS_PREFIX: `toonbank-test-e2e-${randomUUID().slice(0, 8)}`,
      CHANNEL_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
      CHANNEL_ALLOW_INSECURE_URLS: 'false',
      WEB_DIST_DIR: join(ROOT, 'apps/web/dist'),
      LOG_LEVEL: 'info',
    };
    api = start('apps/api/dist/main.js', env);
    worker = start('apps/worker/dist/main.js', env);
    await waitFor(
      async () => {
        const response = await fetch(`${base()}/api/health`);
        return response.status === 200 || undefined;
      },
      { timeoutMs: 30_000, what: 'the built api to answer /api/health' },
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${output.join('')}`);
    });
  }, 45_000);

  afterAll(async () => {
    for (const child of [api, worker]) if (child && child.exitCode === null) child.kill('SIGKILL');
    await closeTestDatabase();
  });

  it('serves the API: a demo-like user signs in and reads GET /api/me', async () => {
    const world = await newStaffedOrganisation(await testDatabase());
    const login = await fetch(`${base()}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: world.agent.email, password: TEST_PASSWORD }),
    });
    expect(login.status).toBe(200);
    const { accessToken } = (await login.json()) as { accessToken: string };
    const me = await fetch(`${base()}/api/me`, {
      headers: { Authorization: `Bearer ${accessToken}` },
    });
    expect(((await me.json()) as { email: string }).email).toBe(world.agent.email);
  });

  it('serves the web app from the same origin, with the SPA fallback, but not over /api', async () => {
    for (const path of ['/', '/login', '/admin/users']) {
      const page = await fetch(`${base()}${path}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(await page.text()).toContain('<div id="root"');
    }
    const api404 = await fetch(`${base()}/api/not-a-route`);
    expect(api404.status).toBe(404);
    expect(await api404.json()).toMatchObject({ code: 'not_found' });
  });

  it('logs JSON without secrets', () => {
    const lines = output
      .join('')
      .split('\n')
      .filter((line) => line.startsWith('{'));
    expect(lines.length).toBeGreaterThan(0);
    expect(output.join('')).not.toContain(TEST_PASSWORD);
    expect(output.join('')).not.toContain(process.env.JWT_SECRET as string);
  });

  it('refuses to start on bad configuration, naming each bad variable', async () => {
    const child = spawn(process.execPath, ['apps/api/dist/main.js'], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        PORT: 'eighty',
        JWT_SECRET: '',
        CHANNEL_ENCRYPTION_KEY: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await exitOf(child)).toBe(1);
    expect(stderr).toContain('Invalid configuration:');
    expect(stderr).toContain('PORT: must be an integer number (got "eighty")');
    expect(stderr).toContain('JWT_SECRET: is required in production');
    expect(stderr).toContain('CHANNEL_ENCRYPTION_KEY: is required in production');
  });

  it('stops cleanly on SIGTERM', async () => {
    api.kill('SIGTERM');
    worker.kill('SIGTERM');
    expect(await exitOf(api)).toBe(0);
    expect(await exitOf(worker)).toBe(0);
  }, 20_000);
});
