import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeTestDatabase, testDatabase } from '../support/database';
import { newStaffedOrganisation } from '../support/factories';
import { bearer, signIn, startTestApp, type TestApp } from '../support/test-app';

/**
 * The browser's protections (issue 11, item 6), live through HTTP against the API serving
 * the web app: a CSP without inline script, no sniffing, no framing, no referrer, and
 * `Cache-Control: no-store` on every /api answer while the web app's files stay cacheable.
 */
describe('security headers', () => {
  let app: TestApp;
  let webDir: string;
  let token: string;

  beforeAll(async () => {
    webDir = mkdtempSync(join(tmpdir(), 'toonbank-web-'));
    writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>Toonbank</title>');
    mkdirSync(join(webDir, 'assets'));
    writeFileSync(join(webDir, 'assets', 'index-abc123.js'), 'console.log(1);');
    app = await startTestApp({ WEB_DIST_DIR: webDir });
    const world = await newStaffedOrganisation(await testDatabase());
    token = await signIn(app, world.admin);
  });

  afterAll(async () => {
    await app.close();
    await closeTestDatabase();
    rmSync(webDir, { recursive: true, force: true });
  });

  /** The CSP as directive → sources. */
  const policyOf = (header: string | undefined): Record<string, string[]> =>
    Object.fromEntries(
      (header ?? '')
        .split(';')
        .map((directive) => directive.trim().split(/\s+/))
        .filter(([name]) => name)
        .map(([name, ...sources]) => [name, sources]),
    );

  const requests: [
    label: string,
    send: () => Promise<{ status: number; headers: Record<string, string> }>,
  ][] = [
    ['the web app (/)', () => app.http().get('/')],
    ['a route of the web app (/inbox)', () => app.http().get('/inbox')],
    ['a web asset', () => app.http().get('/assets/index-abc123.js')],
    ['an API answer', () => app.http().get('/api/me').set(bearer(token))],
    ['a public API answer', () => app.http().get('/api/health/live')],
    ['an API error (401)', () => app.http().get('/api/me')],
    ['an API 404', () => app.http().get('/api/nothing-here').set(bearer(token))],
    [
      'a body error (400)',
      () => app.http().post('/api/auth/login').set('Content-Type', 'application/json').send('{'),
    ],
    ['the Swagger UI', () => app.http().get('/api/docs/')],
    ['the OpenAPI document', () => app.http().get('/api/docs-json')],
  ];

  it.each(requests)(
    '%s: CSP, nosniff, no framing, no referrer, no HSTS outside production',
    async (_label, send) => {
      const response = await send();
      expect(response.status).toBeLessThan(500);
      const policy = policyOf(response.headers['content-security-policy']);
      expect(policy).toMatchObject({
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'script-src-attr': ["'none'"],
        'object-src': ["'none'"],
        'frame-ancestors': ["'none'"],
        'connect-src': ["'self'"],
      });
      expect(policy['script-src']).not.toContain("'unsafe-inline'");
      expect(policy['script-src']).not.toContain("'unsafe-eval'");
      expect(response.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
      });
      // Development and tests speak plain HTTP; HSTS is for production (see its unit spec).
      expect(response.headers['strict-transport-security']).toBeUndefined();
      expect(response.headers['x-powered-by']).toBeUndefined();
    },
  );

  it.each(requests.filter(([label]) => /API|body|Swagger|OpenAPI/.test(label)))(
    '%s: Cache-Control no-store',
    async (_label, send) => {
      expect((await send()).headers['cache-control']).toBe('no-store');
    },
  );

  it('the web app’s files stay cacheable: hashed assets immutable, index.html revalidated', async () => {
    const asset = await app.http().get('/assets/index-abc123.js');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    for (const path of ['/', '/inbox']) {
      expect((await app.http().get(path)).headers['cache-control']).toBe('no-cache');
    }
  });

  it('the Swagger UI needs no inline script: its page loads every script from a file', async () => {
    const page = await app.http().get('/api/docs/');
    expect(page.status).toBe(200);
    const scripts = [...page.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect({ attributes, inline: body.trim() }).toEqual({
        attributes: expect.stringMatching(/src=/),
        inline: '',
      });
    }
  });
});
