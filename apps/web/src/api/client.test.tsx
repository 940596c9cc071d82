import type { UserDto } from '@toonbank/shared';
import { ADMIN, AGENT } from '../test/fixtures';
import { createFakeApi, deferred, errorResponse } from '../test/fakeApi';
import { ApiError } from './ApiError';
import { ApiClient, LEGACY_REFRESH_TOKEN_KEY, RENEWAL_RETRY_MS, SIGNED_IN_KEY } from './client';

const setup = (options: { accessTokenLifetimeSeconds?: number } = {}) => {
  const fake = createFakeApi({ users: [ADMIN, AGENT], ...options });
  const api = new ApiClient({ storage: window.localStorage, fetch: fake.fetch });
  const signedOut = jest.fn();
  api.onSignedOut(signedOut);
  return { fake, api, signedOut };
};

describe('ApiClient', () => {
  it('logs in with the refresh token as a cookie: nothing secret in localStorage', async () => {
    const { fake, api } = setup();

    const user = await api.login('admin@demo.test', 'demo-password');
    const me = await api.get<UserDto>('/me');

    expect(user.name).toBe('Anna de Vries');
    expect(me.email).toBe('admin@demo.test');
    const [login] = fake.sent('POST', '/api/auth/login');
    expect(login?.headers['X-Refresh-Transport']).toBe('cookie');
    expect(login?.credentials).toBe('same-origin');
    expect(fake.refreshCookie).toBe('refresh-1');
    expect(fake.sent('GET', '/api/me')[0].headers.Authorization).toBe('Bearer access-1');
    // The access token lives in memory only; localStorage holds the non-secret marker.
    expect({ ...window.localStorage }).toEqual({ [SIGNED_IN_KEY]: '1' });
    expect(api.hasStoredSession()).toBe(true);
  });

  it('removes a refresh token an earlier version stored, and never sends it', () => {
    window.localStorage.setItem(LEGACY_REFRESH_TOKEN_KEY, 'refresh-of-an-earlier-version');
    const { api } = setup();
    expect(window.localStorage.getItem(LEGACY_REFRESH_TOKEN_KEY)).toBeNull();
    expect(api.hasStoredSession()).toBe(false);
  });

  it('refreshes once on a 401 auth.unauthenticated and retries with the new token', async () => {
    const { fake, api, signedOut } = setup();
    await api.login('admin@demo.test', 'demo-password');
    fake.expireAccessTokens();

    const me = await api.get<UserDto>('/me');

    expect(me.name).toBe('Anna de Vries');
    const [refresh, ...more] = fake.sent('POST', '/api/auth/refresh');
    expect(more).toHaveLength(0);
    // By cookie: no body, the header that asks for it (and that no other site can send).
    expect(refresh?.body).toBeUndefined();
    expect(refresh?.headers['X-Refresh-Transport']).toBe('cookie');
    expect(refresh?.credentials).toBe('same-origin');
    const meCalls = fake.sent('GET', '/api/me');
    expect(meCalls.map((call) => call.headers.Authorization)).toEqual([
      'Bearer access-1',
      'Bearer access-2',
    ]);
    // The server rotated the cookie.
    expect(fake.refreshCookie).toBe('refresh-2');
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
    expect(window.localStorage.getItem(SIGNED_IN_KEY)).toBeNull();
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

  it('restores the cookie’s session once (refresh, then GET /me), even when asked twice', async () => {
    const { fake, api } = setup();
    fake.rememberSession('agent1@demo.test');

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

  it('restores nothing, and signs out, when the cookie’s session is dead', async () => {
    const { fake, api, signedOut } = setup();
    fake.rememberSession(null);

    await expect(api.restoreSession()).resolves.toBeNull();
    expect(fake.sent('GET', '/api/me')).toHaveLength(0);
    expect(signedOut).toHaveBeenCalledTimes(1);
    expect(window.localStorage.getItem(SIGNED_IN_KEY)).toBeNull();
  });

  it('asks for no session where this browser never signed in (no marker)', async () => {
    const { fake, api } = setup();
    await expect(api.restoreSession()).resolves.toBeNull();
    expect(fake.requests).toHaveLength(0);
  });

  it('logs out on the server and forgets the tokens', async () => {
    const { fake, api, signedOut } = setup();
    await api.login('admin@demo.test', 'demo-password');

    await api.logout();

    const [logout] = fake.sent('POST', '/api/auth/logout');
    expect(logout?.headers.Authorization).toBe('Bearer access-1');
    expect(logout?.credentials).toBe('same-origin'); // the cookie goes along, to be revoked
    expect(fake.refreshCookie).toBeNull();
    expect(window.localStorage.getItem(SIGNED_IN_KEY)).toBeNull();
    expect(signedOut).toHaveBeenCalledTimes(1);
    // The server revoked the family and cleared the cookie: nothing brings the session back.
    await expect(api.restoreSession()).resolves.toBeNull();
  });

  it('answers a late refresh after signing out with false, without signing out again', async () => {
    const { fake, api, signedOut } = setup();
    await api.login('admin@demo.test', 'demo-password');
    await api.logout();

    // E.g. the socket's reconnect after the server dropped it for the logout.
    await expect(api.refresh()).resolves.toBe(false);

    expect(signedOut).toHaveBeenCalledTimes(1);
    expect(fake.sent('POST', '/api/auth/refresh')).toHaveLength(0);
  });

  it('tells its listeners each access token a refresh brings, not the login’s', async () => {
    const { fake, api } = setup();
    const refreshed = jest.fn();
    api.onAccessTokenRefreshed(refreshed);
    await api.login('admin@demo.test', 'demo-password');
    expect(refreshed).not.toHaveBeenCalled();

    fake.expireAccessTokens();
    await api.get('/me');

    expect(refreshed.mock.calls).toEqual([['access-2']]);
  });

  it('takes the browser’s lock for a refresh, so that tabs rotate the cookie in turn', async () => {
    const fake = createFakeApi({ users: [ADMIN] });
    const names: string[] = [];
    const locks = {
      request: <T,>(name: string, callback: () => Promise<T>) => {
        names.push(name);
        return callback();
      },
    };
    const api = new ApiClient({ storage: window.localStorage, fetch: fake.fetch, locks });
    fake.rememberSession('admin@demo.test');

    await expect(api.refresh()).resolves.toBe(true);

    expect(names).toEqual(['toonbank.refresh']);
  });

  describe('renewal before expiry', () => {
    beforeEach(() => jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick'] }));
    afterEach(() => jest.useRealTimers());

    it('renews a 15-minute token two minutes before it expires, again and again, without a request needing it', async () => {
      const { fake, api } = setup({ accessTokenLifetimeSeconds: 900 });
      const refreshed = jest.fn();
      api.onAccessTokenRefreshed(refreshed);
      await api.login('admin@demo.test', 'demo-password');

      await jest.advanceTimersByTimeAsync(13 * 60_000 - 1);
      expect(fake.sent('POST', '/api/auth/refresh')).toHaveLength(0);
      await jest.advanceTimersByTimeAsync(1);
      expect(fake.sent('POST', '/api/auth/refresh')).toHaveLength(1);
      expect(refreshed).toHaveBeenCalledTimes(1);

      await jest.advanceTimersByTimeAsync(13 * 60_000);
      expect(fake.sent('POST', '/api/auth/refresh')).toHaveLength(2);
      const me = await api.get<UserDto>('/me');
      expect(me.email).toBe('admin@demo.test');
      expect(fake.sent('GET', '/api/me')[0].headers.Authorization).toBe(
        `Bearer ${refreshed.mock.calls[1][0] as string}`,
      );
    });

    it('tries again after a failed renewal, and stops once signed out', async () => {
      const { fake, api } = setup({ accessTokenLifetimeSeconds: 900 });
      await api.login('admin@demo.test', 'demo-password');
      const refresh = fake.route('POST /api/auth/refresh');
      fake.override('POST /api/auth/refresh', () => errorResponse(503, 'unavailable'));

      await jest.advanceTimersByTimeAsync(13 * 60_000);
      expect(fake.sent('POST', '/api/auth/refresh')).toHaveLength(1);
      fake.override('POST /api/auth/refresh', refresh);
      await jest.advanceTimersByTimeAsync(RENEWAL_RETRY_MS);
      expect(fake.sent('POST', '/api/auth/refresh')).toHaveLength(2);

      await api.logout();
      await jest.advanceTimersByTimeAsync(60 * 60_000);
      expect(fake.sent('POST', '/api/auth/refresh')).toHaveLength(2);
    });

    it('hands the socket a fresh token once the current one has expired', async () => {
      const { fake, api } = setup({ accessTokenLifetimeSeconds: 900 });
      await api.login('admin@demo.test', 'demo-password');
      fake.override('POST /api/auth/refresh', () => errorResponse(503, 'unavailable'));
      await jest.advanceTimersByTimeAsync(15 * 60_000 + 1); // renewals failed meanwhile
      fake.override('POST /api/auth/refresh', fake.route('POST /api/auth/refresh'));

      const token = await api.socketToken();

      expect(token).not.toBeNull();
      expect(token).toMatch(/\.access-\d+$/);
      expect(token).not.toMatch(/\.access-1$/);
    });
  });
});

async function waitUntil(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  if (!condition()) throw new Error('condition not met');
}
