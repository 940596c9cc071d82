import {
  REFRESH_TRANSPORT_COOKIE,
  REFRESH_TRANSPORT_HEADER,
  type ApiErrorBody,
  type ConflictReason,
  type ErrorCode,
  type OrganisationDto,
  type UserDto,
} from '@toonbank/shared';
import { SIGNED_IN_KEY } from '../api/client';
import { DEMO_ORG, PASSWORD } from './fixtures';
import { CHANNEL_PROVIDERS_ANSWER } from './channelProviders';

/** A request as the stubbed network saw it. */
export interface StubRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  headers: Record<string, string>;
  /** Whether the browser would send the cookie (`same-origin` for the app's requests). */
  credentials?: RequestCredentials;
}

export interface StubResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (request: StubRequest) => StubResponse | Promise<StubResponse>;

export const errorResponse = (
  statusCode: number,
  code: ErrorCode,
  message: string = code,
  headers?: Record<string, string>,
): StubResponse => ({
  status: statusCode,
  body: { statusCode, code, message } satisfies ApiErrorBody,
  headers,
});

/** A 409 `conflict`, with `details.reason` where the server knows which state refused it. */
export const conflictResponse = (message: string, reason?: ConflictReason): StubResponse => ({
  status: 409,
  body: {
    statusCode: 409,
    code: 'conflict',
    message,
    ...(reason ? { details: { reason } } : {}),
  } satisfies ApiErrorBody,
});

/** A promise to settle by hand: holds a response back to observe the pending state. */
export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const base64url = (value: unknown) =>
  btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');

/** A JWT-shaped token (unsigned: `name` stands in the signature's place) living `lifetime` s. */
export const jwtLike = (name: string, lifetimeSeconds: number): string => {
  const iat = Math.floor(Date.now() / 1000);
  return `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url({ iat, exp: iat + lifetimeSeconds })}.${name}`;
};

const toResponse = ({ status, body, headers }: StubResponse): Response => {
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: '',
    headers: new Headers(headers),
    text: async () => text,
    json: async () => JSON.parse(text),
  } as unknown as Response;
};

/**
 * The network boundary for component tests: `fetch` replaced by a small in-memory API
 * that follows API.md for auth, /me and /org (rotating refresh tokens, 401s with the
 * contract body), and the browser's refresh cookie: with `X-Refresh-Transport: cookie`,
 * login and refresh keep the refresh token in `refreshCookie` instead of the body, as the
 * server's HttpOnly cookie does. `override` swaps one route for a test-specific handler.
 */
export function createFakeApi(options: {
  users: UserDto[];
  org?: OrganisationDto;
  /** Access tokens as JWTs with `iat` and `exp` this far apart (else plain `access-N`). */
  accessTokenLifetimeSeconds?: number;
}) {
  const users = new Map(options.users.map((user) => [user.email, { ...user }]));
  const org = options.org ?? DEMO_ORG;
  const accessTokens = new Map<string, string>();
  const refreshTokens = new Map<string, string>();
  const requests: StubRequest[] = [];
  const overrides = new Map<string, Handler>();
  let counter = 0;
  /** The browser's HttpOnly refresh cookie for /api/auth: the app never sees it. */
  let refreshCookie: string | null = null;
  const byCookie = (request: StubRequest) =>
    request.headers[REFRESH_TRANSPORT_HEADER] === REFRESH_TRANSPORT_COOKIE;

  const issue = (email: string) => {
    counter += 1;
    const lifetime = options.accessTokenLifetimeSeconds;
    const accessToken =
      lifetime === undefined ? `access-${counter}` : jwtLike(`access-${counter}`, lifetime);
    const pair = { accessToken, refreshToken: `refresh-${counter}` };
    accessTokens.set(pair.accessToken, email);
    refreshTokens.set(pair.refreshToken, email);
    return pair;
  };

  const caller = (request: StubRequest) => {
    const token = request.headers.Authorization?.replace(/^Bearer /, '');
    const email = token ? accessTokens.get(token) : undefined;
    return email ? users.get(email) : undefined;
  };

  const unauthenticated = () => errorResponse(401, 'auth.unauthenticated', 'Unauthenticated');

  const routes: Record<string, Handler> = {
    'POST /api/auth/login': (request) => {
      const { email, password } = request.body as { email: string; password: string };
      const user = users.get(email.toLowerCase());
      if (!user || password !== PASSWORD) {
        return errorResponse(401, 'auth.invalid_credentials', 'Invalid credentials');
      }
      const pair = issue(user.email);
      if (!byCookie(request)) return { status: 200, body: { ...pair, user } };
      refreshCookie = pair.refreshToken;
      return { status: 200, body: { accessToken: pair.accessToken, user } };
    },
    'POST /api/auth/refresh': (request) => {
      const fromBody = (request.body as { refreshToken?: string } | undefined)?.refreshToken;
      const refreshToken = fromBody ?? (byCookie(request) ? refreshCookie : null);
      const email = refreshToken ? refreshTokens.get(refreshToken) : undefined;
      if (!refreshToken || !email) {
        if (fromBody === undefined) refreshCookie = null;
        return unauthenticated();
      }
      refreshTokens.delete(refreshToken);
      const pair = issue(email);
      if (fromBody !== undefined) return { status: 200, body: pair };
      refreshCookie = pair.refreshToken;
      return { status: 200, body: { accessToken: pair.accessToken } };
    },
    'POST /api/auth/logout': (request) => {
      const user = caller(request);
      if (!user) return unauthenticated();
      for (const [token, email] of refreshTokens)
        if (email === user.email) refreshTokens.delete(token);
      refreshCookie = null;
      return { status: 200, body: {} };
    },
    'GET /api/me': (request) => {
      const user = caller(request);
      return user ? { status: 200, body: user } : unauthenticated();
    },
    'PUT /api/me/availability': (request) => {
      const user = caller(request);
      if (!user) return unauthenticated();
      user.available = (request.body as { available: boolean }).available;
      return { status: 200, body: user };
    },
    'GET /api/org': (request) => (caller(request) ? { status: 200, body: org } : unauthenticated()),
    // The inbox tabs' counts (contracts: 0..1000, 1000 meaning "more than 999"); an empty
    // inbox unless a test's `withInbox` or override says otherwise.
    'GET /api/conversations/counts': (request) =>
      caller(request)
        ? {
            status: 200,
            body: {
              mine: 0,
              unassigned: 0,
              waiting: 0,
              closed: 0,
              computedAt: new Date().toISOString(),
            },
          }
        : unauthenticated(),
    'GET /api/channels/providers': (request) =>
      caller(request)
        ? { status: 200, body: { items: CHANNEL_PROVIDERS_ANSWER, nextCursor: null } }
        : unauthenticated(),
  };

  const fetch = jest.fn(async (input: string, init: RequestInit = {}) => {
    const url = new URL(input, 'http://localhost');
    const request: StubRequest = {
      method: init.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
      headers: { ...(init.headers as Record<string, string> | undefined) },
      credentials: init.credentials,
    };
    requests.push(request);
    const key = `${request.method} ${request.path}`;
    const handler = overrides.get(key) ?? routes[key];
    if (!handler) return toResponse(errorResponse(404, 'not_found', `No stub for ${key}`));
    return toResponse(await handler(request));
  });

  return {
    fetch,
    requests,
    /** Requests sent to one route, in order. */
    sent: (method: string, path: string) =>
      requests.filter((request) => request.method === method && request.path === path),
    override: (key: string, handler: Handler) => overrides.set(key, handler),
    /** The signed-in user a request speaks for (by its access token), if any. */
    callerOf: caller,
    /** The built-in handler of a route, for overrides that wrap it. */
    route: (key: string) => routes[key],
    /** Every access token expires (the refresh tokens stay valid). */
    expireAccessTokens: () => accessTokens.clear(),
    /** Every refresh token is revoked (the cookie stays, dead). */
    revokeRefreshTokens: () => refreshTokens.clear(),
    /** The refresh token in the browser's cookie; null when there is none. */
    get refreshCookie() {
      return refreshCookie;
    },
    /**
     * As if `email` signed in on an earlier visit: the browser holds a valid refresh cookie
     * and the app's signed-in marker. Null leaves a dead cookie instead (a revoked family).
     */
    rememberSession: (email: string | null) => {
      refreshCookie = email === null ? 'refresh-from-a-revoked-family' : issue(email).refreshToken;
      window.localStorage.setItem(SIGNED_IN_KEY, '1');
    },
  };
}

export type FakeApi = ReturnType<typeof createFakeApi>;
