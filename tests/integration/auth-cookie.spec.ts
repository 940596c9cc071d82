import { createHash } from 'node:crypto';
import { SessionEntity } from '@toonbank/database';
import type { DataSource } from 'typeorm';
import type { Response } from 'supertest';
import { closeTestDatabase, testDatabase } from '../support/database';
import { expectError, expectValidation } from '../support/expect-error';
import { newOrganisation, newUser, TEST_PASSWORD } from '../support/factories';
import { bearer, login, startTestApp, type TestApp } from '../support/test-app';

const COOKIE = 'toonbank_refresh';
const TRANSPORT = { 'X-Refresh-Transport': 'cookie' };
const DAY_SECONDS = 24 * 60 * 60;

interface SetCookie {
  value: string;
  attributes: Record<string, string | true>;
}

/** The refresh cookie set by a response, its attributes by lower-case name; null when none. */
function refreshCookieOf(response: Response): SetCookie | null {
  const headers = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
  const line = headers.find((header) => header.startsWith(`${COOKIE}=`));
  if (!line) return null;
  const [pair, ...rest] = line.split(';').map((part) => part.trim());
  const attributes: Record<string, string | true> = {};
  for (const attribute of rest) {
    const equals = attribute.indexOf('=');
    if (equals < 0) attributes[attribute.toLowerCase()] = true;
    else attributes[attribute.slice(0, equals).toLowerCase()] = attribute.slice(equals + 1);
  }
  return { value: (pair as string).slice(COOKIE.length + 1), attributes };
}

const cookieHeader = (token: string) => ({ Cookie: `other=1; ${COOKIE}=${token}` });

describe('auth: the refresh token as a cookie for the web app (issue 11)', () => {
  let app: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    db = await testDatabase();
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
    await closeTestDatabase();
  });

  const newAgent = async () => newUser(db, await newOrganisation(db), { role: 'agent' });
  const cookieLogin = async (email: string) => {
    const response = await app
      .http()
      .post('/api/auth/login')
      .set(TRANSPORT)
      .send({ email, password: TEST_PASSWORD })
      .expect(200);
    const cookie = refreshCookieOf(response);
    if (!cookie) throw new Error('no refresh cookie');
    return { response, cookie, accessToken: response.body.accessToken as string };
  };
  const cookieRefresh = (token: string, headers: Record<string, string> = TRANSPORT) =>
    app.http().post('/api/auth/refresh').set(headers).set(cookieHeader(token));

  it('login with the header sets the cookie with exactly its attributes and leaves the token out of the body', async () => {
    const agent = await newAgent();
    const { response, cookie } = await cookieLogin(agent.email);
    expect(response.body).toEqual({
      accessToken: expect.any(String),
      user: expect.objectContaining({ id: agent.id }),
    });
    expect(response.headers['cache-control']).toBe('no-store');
    expect(cookie.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cookie.attributes).toEqual({
      path: '/api/auth',
      httponly: true,
      samesite: 'Strict',
      'max-age': expect.any(String),
      expires: expect.any(String),
    });
    // Outside development and tests the cookie is Secure (below); here it is not.
    const maxAge = Number(cookie.attributes['max-age']);
    expect(maxAge).toBeGreaterThan(30 * DAY_SECONDS - 60);
    expect(maxAge).toBeLessThanOrEqual(30 * DAY_SECONDS);
    await app.http().get('/api/me').set(bearer(response.body.accessToken)).expect(200);
  });

  it('the contract form is unchanged: no header, the token in the body and no cookie', async () => {
    const agent = await newAgent();
    const response = await app
      .http()
      .post('/api/auth/login')
      .send({ email: agent.email, password: TEST_PASSWORD })
      .expect(200);
    expect(response.body.refreshToken).toEqual(expect.any(String));
    expect(refreshCookieOf(response)).toBeNull();
    const refreshed = await app
      .http()
      .post('/api/auth/refresh')
      .send({ refreshToken: response.body.refreshToken })
      .expect(200);
    expect(refreshed.body).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
    });
    expect(refreshCookieOf(refreshed)).toBeNull();
  });

  it('a refresh by cookie rotates the cookie and answers the access token only', async () => {
    const agent = await newAgent();
    const { cookie } = await cookieLogin(agent.email);
    // The web app sends no body; an empty JSON object is the same.
    const first = await cookieRefresh(cookie.value).expect(200);
    expect(first.body).toEqual({ accessToken: expect.any(String) });
    expect(first.headers['cache-control']).toBe('no-store');
    const rotated = refreshCookieOf(first);
    expect(rotated?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(rotated?.value).not.toBe(cookie.value);
    expect(rotated?.attributes).toEqual({
      path: '/api/auth',
      httponly: true,
      samesite: 'Strict',
      'max-age': expect.any(String),
      expires: expect.any(String),
    });
    // The family's end does not move: Max-Age is what is left of the sign-in.
    expect(Number(rotated?.attributes['max-age'])).toBeLessThanOrEqual(
      Number(cookie.attributes['max-age']),
    );
    await app.http().get('/api/me').set(bearer(first.body.accessToken)).expect(200);

    const second = await cookieRefresh(rotated!.value).send({}).expect(200);
    expect(second.body).toEqual({ accessToken: expect.any(String) });
    expect(refreshCookieOf(second)?.value).not.toBe(rotated!.value);
  });

  it('a second tab that sends the spent cookie within 30 seconds gets the same successor cookie and access token', async () => {
    const agent = await newAgent();
    const { cookie } = await cookieLogin(agent.email);
    const firstTab = await cookieRefresh(cookie.value).expect(200);
    const secondTab = await cookieRefresh(cookie.value).expect(200);
    expect(secondTab.body).toEqual(firstTab.body);
    const successor = refreshCookieOf(firstTab)!;
    expect(refreshCookieOf(secondTab)).toEqual({
      value: successor.value,
      attributes: expect.objectContaining({ path: '/api/auth', httponly: true }),
    });
    await app.http().get('/api/me').set(bearer(secondTab.body.accessToken)).expect(200);
    await cookieRefresh(successor.value).expect(200);
  });

  it('reusing a spent cookie token more than 30 seconds after its rotation revokes the whole family, as the body form does, and clears the cookie', async () => {
    const agent = await newAgent();
    const { cookie, accessToken } = await cookieLogin(agent.email);
    const rotated = refreshCookieOf(await cookieRefresh(cookie.value).expect(200))!;
    await db.query(
      `UPDATE refresh_tokens SET used_at = used_at - interval '31 seconds' WHERE token_hash = $1`,
      [createHash('sha256').update(cookie.value).digest('base64url')],
    );

    const reuse = await cookieRefresh(cookie.value);
    expectError(reuse, 401, 'auth.unauthenticated');
    expect(refreshCookieOf(reuse)).toEqual({
      value: '',
      attributes: expect.objectContaining({
        path: '/api/auth',
        expires: 'Thu, 01 Jan 1970 00:00:00 GMT',
      }),
    });

    expectError(await cookieRefresh(rotated.value), 401, 'auth.unauthenticated');
    await app.http().get('/api/me').set(bearer(accessToken)).expect(401);
    const sessions = await db.getRepository(SessionEntity).findBy({ userId: agent.id });
    expect(sessions.map((s) => s.revokedReason)).toEqual(['refresh token reused']);
  });

  it('never reads the cookie without the header: 401, and the token stays unspent', async () => {
    const agent = await newAgent();
    const { cookie } = await cookieLogin(agent.email);
    const withoutHeader = await cookieRefresh(cookie.value, {});
    expectError(withoutHeader, 401, 'auth.unauthenticated');
    expect(withoutHeader.body.message).toContain('X-Refresh-Transport');
    expect(refreshCookieOf(withoutHeader)).toBeNull();
    const wrongValue = await cookieRefresh(cookie.value, { 'X-Refresh-Transport': 'body' });
    expectError(wrongValue, 401, 'auth.unauthenticated');
    // Not spent, not revoked: the same token still works with the header.
    await cookieRefresh(cookie.value).expect(200);
  });

  it('the header without a cookie is 401; neither body token, header nor cookie is 400 as before', async () => {
    const noCookie = await app.http().post('/api/auth/refresh').set(TRANSPORT).send({});
    expectError(noCookie, 401, 'auth.unauthenticated');
    expectValidation(await app.http().post('/api/auth/refresh').send({}), 'refreshToken');
  });

  it('a body token wins over the cookie: the pair in the body, no cookie, the cookie unspent', async () => {
    const agent = await newAgent();
    const api = await login(app, agent.email);
    const { cookie } = await cookieLogin(agent.email);
    const both = await cookieRefresh(cookie.value)
      .send({ refreshToken: api.refreshToken })
      .expect(200);
    expect(both.body).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
    });
    expect(refreshCookieOf(both)).toBeNull();
    await cookieRefresh(cookie.value).expect(200);
  });

  it('logout revokes the family, clears the cookie, and a later refresh with it is 401', async () => {
    const agent = await newAgent();
    const { cookie, accessToken } = await cookieLogin(agent.email);
    const logout = await app
      .http()
      .post('/api/auth/logout')
      .set(bearer(accessToken))
      .set(cookieHeader(cookie.value))
      .expect(200);
    expect(refreshCookieOf(logout)).toEqual({
      value: '',
      attributes: {
        path: '/api/auth',
        httponly: true,
        samesite: 'Strict',
        expires: 'Thu, 01 Jan 1970 00:00:00 GMT',
      },
    });
    expectError(await cookieRefresh(cookie.value), 401, 'auth.unauthenticated');
    await app.http().get('/api/me').set(bearer(accessToken)).expect(401);
  });

  it('logout also ends the session of the cookie when it is another sign-in of the same user, never of someone else', async () => {
    const agent = await newAgent();
    const colleague = await newUser(db, await newOrganisation(db), { role: 'agent' });
    const first = await cookieLogin(agent.email);
    const second = await cookieLogin(agent.email); // the browser now holds the second cookie
    const theirs = await cookieLogin(colleague.email);

    await app
      .http()
      .post('/api/auth/logout')
      .set(bearer(first.accessToken))
      .set(cookieHeader(second.cookie.value))
      .expect(200);
    expectError(await cookieRefresh(second.cookie.value), 401, 'auth.unauthenticated');

    const another = await cookieLogin(agent.email);
    await app
      .http()
      .post('/api/auth/logout')
      .set(bearer(another.accessToken))
      .set(cookieHeader(theirs.cookie.value))
      .expect(200);
    await cookieRefresh(theirs.cookie.value).expect(200);
  });

  it('documents the header and the cookie in the OpenAPI document', async () => {
    const { body } = await app.http().get('/api/docs-json').expect(200);
    for (const path of ['/api/auth/login', '/api/auth/refresh']) {
      const operation = body.paths[path].post;
      expect(operation.parameters).toContainEqual(
        expect.objectContaining({
          in: 'header',
          name: 'X-Refresh-Transport',
          required: false,
          schema: { type: 'string', enum: ['cookie'] },
        }),
      );
      expect(operation.responses['200'].headers['Set-Cookie'].description).toContain(
        'toonbank_refresh=',
      );
    }
    const logoutOk = body.paths['/api/auth/logout'].post.responses['200'];
    expect(logoutOk.headers['Set-Cookie'].description).toContain('toonbank_refresh');
    const refreshBody =
      body.paths['/api/auth/refresh'].post.requestBody.content['application/json'];
    expect(refreshBody.schema).toEqual({ $ref: '#/components/schemas/RefreshDto' });
    expect(body.components.schemas.RefreshDto.required ?? []).not.toContain('refreshToken');
  });
});

describe('auth: the refresh cookie in production', () => {
  let app: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    db = await testDatabase();
    app = await startTestApp({ NODE_ENV: 'production', CHANNEL_ALLOW_INSECURE_URLS: 'false' });
  });
  afterAll(async () => {
    await app.close();
    await closeTestDatabase();
  });

  it('is Secure', async () => {
    const agent = await newUser(db, await newOrganisation(db), { role: 'agent' });
    const response = await app
      .http()
      .post('/api/auth/login')
      .set(TRANSPORT)
      .send({ email: agent.email, password: TEST_PASSWORD })
      .expect(200);
    expect(refreshCookieOf(response)?.attributes).toEqual({
      path: '/api/auth',
      httponly: true,
      secure: true,
      samesite: 'Strict',
      'max-age': expect.any(String),
      expires: expect.any(String),
    });
  });
});
