import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { get, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
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

  /** A GET whose body comes as sent (fetch would decompress it). */
  const rawGet = (path: string, headers: Record<string, string>) =>
    new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>(
      (resolve, reject) => {
        get(`${base()}${path}`, { headers }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              headers: response.headers,
              body: Buffer.concat(chunks),
            }),
          );
        }).on('error', reject);
      },
    );

  it.each<[string, string | undefined, string | undefined, (body: Buffer) => Buffer]>([
    ['brotli', 'gzip, deflate, br, zstd', 'br', brotliDecompressSync],
    ['gzip', 'gzip, deflate', 'gzip', gunzipSync],
    ['no compression', undefined, undefined, (body) => body],
  ])(
    "serves the app's JavaScript precompressed at build time: %s, cached for a year",
    async (_label, accept, encoding, decode) => {
      const dist = join(ROOT, 'apps/web/dist');
      const html = readFileSync(join(dist, 'index.html'), 'utf8');
      const entry = /<script type="module"[^>]*src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
      expect(entry).toBeDefined();
      const file = join(dist, entry as string);

      const response = await rawGet(entry as string, accept ? { 'Accept-Encoding': accept } : {});
      expect(response.status).toBe(200);
      expect(response.headers['content-encoding']).toBe(encoding);
      expect(response.headers['content-type']).toMatch(/^(text|application)\/javascript/);
      expect(response.headers['vary']).toBe('Accept-Encoding');
      expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(response.headers['content-security-policy']).toContain("script-src 'self'");
      // The precompressed file itself, not one compressed per request.
      const sent = encoding ? `${file}.${encoding === 'br' ? 'br' : 'gz'}` : file;
      expect(response.body.length).toBe(statSync(sent).size);
      expect(decode(response.body).equals(readFileSync(file))).toBe(true);
    },
  );

  it('every JavaScript and CSS file of the build has a brotli and a gzip twin', () => {
    const assets = readdirSync(join(ROOT, 'apps/web/dist/assets'));
    const code = assets.filter((name) => /\.(js|css)$/.test(name));
    expect(code.length).toBeGreaterThan(0);
    const missing = code.flatMap((name) =>
      ['br', 'gz']
        .filter((ext) => !assets.includes(`${name}.${ext}`))
        .map((ext) => `${name}.${ext}`),
    );
    expect(missing).toEqual([]);
  });

  it("the app's JavaScript is React's production build, whatever NODE_ENV built it", () => {
    // A warning only React's development build carries (it runs StrictMode's double mount).
    const assets = join(ROOT, 'apps/web/dist/assets');
    const development = readdirSync(assets)
      .filter((name) => name.endsWith('.js'))
      .filter((name) =>
        readFileSync(join(assets, name), 'utf8').includes(
          'Each child in a list should have a unique',
        ),
      );
    expect(development).toEqual([]);
  });

  it("index.html and the app's routes are revalidated, never cached as immutable", async () => {
    for (const path of ['/', '/inbox']) {
      const response = await rawGet(path, { 'Accept-Encoding': 'br' });
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.headers['content-security-policy']).toContain("default-src 'self'");
      expect(brotliDecompressSync(response.body).toString()).toContain('<div id="root"');
    }
    const missingAsset = await fetch(`${base()}/assets/not-a-build-file.js`);
    expect(missingAsset.status).toBe(404);
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
