import express from 'express';
import request from 'supertest';
import { noStore, securityHeaders } from './security-headers';

/** The middleware on a bare Express app: which headers each option gives. */
function appWith(hsts: boolean) {
  const app = express();
  app.use(securityHeaders({ hsts }));
  app.use('/api', noStore);
  app.get('/api/x', (_request, response) => {
    response.json({ ok: true });
  });
  app.get('/page', (_request, response) => {
    response.send('<p>page</p>');
  });
  return app;
}

describe('securityHeaders', () => {
  it.each<[string, boolean, string | undefined]>([
    ['production (HTTPS)', true, 'max-age=31536000; includeSubDomains'],
    ['development and tests (plain HTTP)', false, undefined],
  ])('HSTS in %s', async (_label, hsts, expected) => {
    const response = await request(appWith(hsts)).get('/page');
    expect(response.headers['strict-transport-security']).toBe(expected);
  });

  it.each<[string, string, string | undefined]>([
    ['an API answer', '/api/x', 'no-store'],
    ['anything else', '/page', undefined],
  ])('Cache-Control on %s', async (_label, path, expected) => {
    const response = await request(appWith(false)).get(path);
    expect(response.headers['cache-control']).toBe(expected);
  });

  it('the policy allows no inline or foreign script and no framing', async () => {
    const response = await request(appWith(false)).get('/page');
    expect(response.headers['content-security-policy']).toBe(
      "default-src 'self';script-src 'self';script-src-attr 'none';" +
        "style-src 'self' 'unsafe-inline';img-src 'self' data:;font-src 'self' data:;" +
        "connect-src 'self';object-src 'none';base-uri 'self';form-action 'self';" +
        "frame-ancestors 'none'",
    );
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
  });
});
