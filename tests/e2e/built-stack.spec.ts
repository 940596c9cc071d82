import { spawn } from 'node:child_process';
import { closeTestDatabase, testDatabase } from '../support/database';
import { newStaffedOrganisation, TEST_PASSWORD } from '../support/factories';
import { exitOf, ROOT, startBuiltStack, type BuiltStack } from '../support/built-stack';

/**
 * The built api and worker as `npm start` runs them: separate processes, the web app served
 * from the api's origin, a clean stop on SIGTERM. (`npm test` builds before running Jest.)
 */
describe('the built stack', () => {
  let stack: BuiltStack;
  const base = () => stack.url;

  beforeAll(async () => {
    stack = await startBuiltStack('e2e');
  }, 45_000);

  afterAll(async () => {
    await stack?.stop();
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
    const lines = stack.output
      .join('')
      .split('\n')
      .filter((line) => line.startsWith('{'));
    expect(lines.length).toBeGreaterThan(0);
    expect(stack.output.join('')).not.toContain(TEST_PASSWORD);
    expect(stack.output.join('')).not.toContain(process.env.JWT_SECRET as string);
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
    stack.api.kill('SIGTERM');
    stack.worker.kill('SIGTERM');
    expect(await exitOf(stack.api)).toBe(0);
    expect(await exitOf(stack.worker)).toBe(0);
  }, 20_000);
});
