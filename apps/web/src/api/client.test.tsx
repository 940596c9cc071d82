import type { UserDto } from '@toonbank/shared';
import { ADMIN, AGENT } from '../test/fixtures';
import { createFakeApi, deferred, errorResponse } from '../test/fakeApi';
import { ApiError } from './ApiError';
import { ApiClient, REFRESH_TOKEN_KEY } from './client';

const setup = () => {
  const fake = createFakeApi({ users: [ADMIN, AGENT] });
  const api = new ApiClient({ storage: window.localStorage, fetch: fake.fetch });
  const signedOut = jest.fn();
  api.onSignedOut(signedOut);
  return { fake, api, signedOut };
};

describe('ApiClient', () => {
  it('logs in, keeps the refresh token in localStorage and sends the access token', async () => {
    const { fake, api } = setup();

    const user = await api.login('admin@demo.test', 'demo-password');
    const me = await api.get<UserDto>('/me');

    expect(user.name).toBe('Anna de Vries');
    expect(me.email).toBe('admin@demo.test');
    expect(window.localStorage.getItem(REFRESH_TOKEN_KEY)).toBe('refresh-1');
    expect(fake.sent('GET', '/api/me')[0].headers.Authorization).toBe('Bearer access-1');
    // The access token lives in memory only.
    expect(Object.values(window.localStorage)).not.toContain('access-1');
  });

  it('refreshes once on a 401 auth.unauthenticated and retries with the new token', async () => {
    const { fake, api, signedOut } = setup();
    await api.login('admin@demo.test', 'demo-password');
    fake.expireAccessTokens();

    const me = await api.get<UserDto>('/me');

    expect(me.name).toBe('Anna de Vries');
    expect(fake.sent('POST', '/api/auth/refresh')).toHaveLength(1);
    expect(fake.sent('POST', '/api/auth/refresh')[0].body).toEqual({ refreshToken: 'refresh-1' });
    const meCalls = fake.sent('GET', '/api/me');
    expect(meCalls.map((call) => call.headers.Authorization)).toEqual([
      'Bearer access-1',
      'Bearer access-2',
    ]);
    // The rotated refresh token replaced the old one.
    expect(window.localStorage.getItem(REFRESH_TOKEN_KEY)).toBe('refresh-2');
    expect(signedOut).not.toHaveBeenCalled();
  });

  it('signs out when the refresh is refused, and throws the typed 401', async () => {
    const { fake, api, signedOut } = setup();
    await api.login('admin@demo.test', 'demo-password');
    fake.expireAccessTokens();
    fake.revokeRefreshTokens();

    const error = await api.get('/me').catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).body).toEqual({
      statusCode: 401,
      code: 'auth.unauthenticated',
      message: 'Unauthenticated',
    });
    expect(fake.sent('POST', '/api/auth/refresh')).toHaveLength(1);
    expect(fake.sent('GET', '/api/me')).toHaveLength(1); // no retry without a token
    expect(signedOut).toHaveBeenCalledTimes(1);
    expect(window.localStorage.getItem(REFRESH_TOKEN_KEY)).toBeNull();
    expect(api.hasStoredSession()).toBe(false);
  });

  it('shares one refresh between concurrent 401s', async () => {
    const { fake, api } = setup();
    await api.login('admin@demo.test', 'demo-password');
    fake.expireAccessTokens();
    // Hold the refresh answer back until every request has seen its 401.
    const gate = deferred();
    const refresh = fake.route('POST /api/auth/refresh');
    fake.override('POST /api/auth/refresh', async (request) => {
      await gate.promise;
      return refresh(request);
    });

    const before = fake.requests.length;
    const all = Promise.all([
      api.get<UserDto>('/me'),
      api.get('/org'),
      api.put<UserDto>('/me/availability', { available: false }),
    ]);
    await waitUntil(() => fake.requests.length === before + 4); // three 401s, one refresh
    gate.resolve();
    const [me, org, availability] = await all;

    expect(fake.sent('POST', '/api/auth/refresh')).toHaveLength(1);
    expect(me.email).toBe('admin@demo.test');
    expect(org).toMatchObject({ name: 'Demo Energie' });
    expect(availability.available).toBe(false);
    const retried = fake.requests.slice(before + 4).map((request) => request.headers.Authorization);
    expect(retried).toEqual(['Bearer access-2', 'Bearer access-2', 'Bearer access-2']);
  });

  it('does not refresh on a failed login: wrong credentials are a typed error', async () => {
    const { fake, api, signedOut } = setup();

    const error = await api.login('admin@demo.test', 'wrong').catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).statusCode).toBe(401);
    expect((error as ApiError).code).toBe('auth.invalid_credentials');
    expect(fake.sent('POST', '/api/auth/refresh')).toHaveLength(0);
    expect(signedOut).not.toHaveBeenCalled();
  });

  it('carries the contract body, details and Retry-After of an error', async () => {
    const { fake, api } = setup();
    fake.override('POST /api/auth/login', () => ({
      ...errorResponse(429, 'rate_limited', 'Too many attempts', { 'Retry-After': '600' }),
      body: {
        statusCode: 429,
        code: 'rate_limited',
        message: 'Too many attempts',
        details: { scope: 'account' },
      },
    }));

    const error = (await api.login('admin@demo.test', 'x').catch((e: unknown) => e)) as ApiError;

    expect(error.body).toEqual({
      statusCode: 429,
      code: 'rate_limited',
      message: 'Too many attempts',
      details: { scope: 'account' },
    });
    expect(error.retryAfterSeconds).toBe(600);
  });

  it('reads the wait from details.retryAfterSeconds when there is no Retry-After header', async () => {
    const { fake, api } = setup();
    fake.override('POST /api/auth/login', () => ({
      status: 429,
      body: {
        statusCode: 429,
        code: 'rate_limited',
        message: 'Locked',
        details: { retryAfterSeconds: 120 },
      },
    }));

    const error = (await api.login('admin@demo.test', 'x').catch((e: unknown) => e)) as ApiError;

    expect(error.code).toBe('rate_limited');
    expect(error.retryAfterSeconds).toBe(120);
  });

  it('turns an answer without the contract body, or no answer, into a typed error', async () => {
    const { fake, api } = setup();
    await api.login('admin@demo.test', 'demo-password');
    fake.override('GET /api/org', () => ({ status: 502, body: '<html>Bad gateway</html>' }));
    fake.override('GET /api/me', () => {
      throw new TypeError('Failed to fetch');
    });

    const gateway = (await api.get('/org').catch((e: unknown) => e)) as ApiError;
    const offline = (await api.get('/me').catch((e: unknown) => e)) as ApiError;

    expect(gateway).toBeInstanceOf(ApiError);
    expect(gateway.statusCode).toBe(502);
    expect(gateway.code).toBe('unavailable');
    expect(offline).toBeInstanceOf(ApiError);
    expect(offline.statusCode).toBe(0);
    expect(offline.code).toBe('unavailable');
  });

  it('restores a stored session once (refresh, then GET /me), even when asked twice', async () => {
    const { fake, api } = setup();
    window.localStorage.setItem(REFRESH_TOKEN_KEY, fake.issueRefreshToken('agent1@demo.test'));

    const [first, second] = await Promise.all([api.restoreSession(), api.restoreSession()]);

    expect(first?.name).toBe('Bram Jansen');
    expect(second).toBe(first);
    expect(fake.sent('POST', '/api/auth/refresh')).toHaveLength(1);
    expect(fake.sent('GET', '/api/me')).toHaveLength(1);
    expect(fake.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'POST /api/auth/refresh',
      'GET /api/me',
    ]);
  });

  it('restores nothing, and signs out, when the stored refresh token is dead', async () => {
    const { fake, api, signedOut } = setup();
    window.localStorage.setItem(REFRESH_TOKEN_KEY, 'refresh-from-a-revoked-family');

    await expect(api.restoreSession()).resolves.toBeNull();
    expect(fake.sent('GET', '/api/me')).toHaveLength(0);
    expect(signedOut).toHaveBeenCalledTimes(1);
    expect(window.localStorage.getItem(REFRESH_TOKEN_KEY)).toBeNull();
  });

  it('logs out on the server and forgets the tokens', async () => {
    const { fake, api, signedOut } = setup();
    await api.login('admin@demo.test', 'demo-password');

    await api.logout();

    expect(fake.sent('POST', '/api/auth/logout')[0].headers.Authorization).toBe('Bearer access-1');
    expect(window.localStorage.getItem(REFRESH_TOKEN_KEY)).toBeNull();
    expect(signedOut).toHaveBeenCalledTimes(1);
    // The old refresh token was revoked by the server: nothing can bring the session back.
    await expect(api.restoreSession()).resolves.toBeNull();
  });
});

async function waitUntil(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  if (!condition()) throw new Error('condition not met');
}
