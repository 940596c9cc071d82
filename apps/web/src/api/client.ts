import {
  ErrorCode,
  REFRESH_TRANSPORT_COOKIE,
  REFRESH_TRANSPORT_HEADER,
  type AccessTokenResponse,
  type CookieLoginResponse,
  type UserDto,
} from '@toonbank/shared';
import { ApiError, codeForStatus, isApiErrorBody } from './ApiError';
import {
  browserTabChannel,
  RefreshCoordinator,
  type Locks,
  type RefreshOutcome,
  type TabChannel,
} from './refreshCoordinator';
import { renewalDelayMs, tokenLifetimeSeconds } from './tokenLifetime';

/**
 * Not a secret: says that this browser has a session (its refresh token is in an HttpOnly
 * cookie the app cannot read), so a reload tries to resume it, and other tabs follow its
 * removal to sign out too.
 */
export const SIGNED_IN_KEY = 'toonbank.signedIn';
/** Where earlier versions kept the refresh token itself; removed on sight. */
export const LEGACY_REFRESH_TOKEN_KEY = 'toonbank.refreshToken';
/** A failed renewal (no answer, 5xx) is tried again after this long. */
export const RENEWAL_RETRY_MS = 30_000;

const COOKIE_TRANSPORT = { [REFRESH_TRANSPORT_HEADER]: REFRESH_TRANSPORT_COOKIE };

type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type FetchLike = (input: string, init: RequestInit) => Promise<Response>;
type TokenStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export interface ApiClientOptions {
  /** Base path of the API; `/api` (same origin, proxied by Vite in development). */
  baseUrl?: string;
  fetch?: FetchLike;
  /** Where the signed-in marker lives across reloads (localStorage in the browser). */
  storage: TokenStorage;
  /** Default `navigator.locks`, where the browser has it: refreshes of all tabs take turns. */
  locks?: Locks;
  /** Default a `BroadcastChannel`, where the browser has one: tabs share a refresh's token. */
  tabChannel?: TabChannel;
}

export interface RequestOptions {
  method?: HttpMethod;
  body?: unknown;
  signal?: AbortSignal;
  /** Send the access token and renew it on a 401 (default true). */
  auth?: boolean;
  /** `text`: the body as it came (a CSV export) instead of parsed JSON. */
  responseType?: 'json' | 'text';
  headers?: Record<string, string>;
}

type SignedOutListener = () => void;
type AccessTokenListener = (accessToken: string) => void;

/**
 * The one way the web app talks to the API.
 *
 * The access token lives in memory only; the refresh token in an HttpOnly cookie for
 * /api/auth that no script can read (README "Sessions in the browser"), asked for with
 * `X-Refresh-Transport: cookie`. The access token is renewed shortly before it expires, and
 * a 401 `auth.unauthenticated` on an authenticated request triggers one refresh (shared by
 * every request that fails meanwhile) and one retry. When the server refuses the refresh,
 * the session is over: the token is dropped and listeners are told.
 */
export class ApiClient {
  private readonly baseUrl: string;
  private readonly fetchImpl: FetchLike;
  private readonly storage: TokenStorage;
  private readonly tabs: RefreshCoordinator;
  private accessToken: string | null = null;
  /** When the access token expires, by the local clock at its receipt; null when unknown. */
  private accessTokenExpiresAt: number | null = null;
  private renewal: ReturnType<typeof setTimeout> | null = null;
  private refreshing: Promise<boolean> | null = null;
  private restoring: Promise<UserDto | null> | null = null;
  private readonly signedOutListeners = new Set<SignedOutListener>();
  private readonly accessTokenListeners = new Set<AccessTokenListener>();

  constructor(options: ApiClientOptions) {
    this.baseUrl = options.baseUrl ?? '/api';
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.storage = options.storage;
    this.tabs = new RefreshCoordinator(
      options.locks ?? (globalThis.navigator as { locks?: Locks } | undefined)?.locks,
      options.tabChannel ?? browserTabChannel(),
    );
    // A refresh token readable by any script is what the cookie replaces: never keep one.
    this.storage.removeItem(LEGACY_REFRESH_TOKEN_KEY);
  }

  /** This browser signed in and has not signed out: its cookie may resume the session. */
  hasStoredSession(): boolean {
    return this.storage.getItem(SIGNED_IN_KEY) !== null;
  }

  /** Called whenever the session ends (logout, refused refresh, deactivated user). */
  onSignedOut(listener: SignedOutListener): () => void {
    this.signedOutListeners.add(listener);
    return () => {
      this.signedOutListeners.delete(listener);
    };
  }

  /** Called with each access token a refresh brings (the live socket hands it on). */
  onAccessTokenRefreshed(listener: AccessTokenListener): () => void {
    this.accessTokenListeners.add(listener);
    return () => {
      this.accessTokenListeners.delete(listener);
    };
  }

  get<T>(path: string, options: Omit<RequestOptions, 'method' | 'body'> = {}): Promise<T> {
    return this.request<T>(path, { ...options, method: 'GET' });
  }

  post<T>(path: string, body?: unknown, options: Omit<RequestOptions, 'method'> = {}): Promise<T> {
    return this.request<T>(path, { ...options, method: 'POST', body });
  }

  put<T>(path: string, body?: unknown, options: Omit<RequestOptions, 'method'> = {}): Promise<T> {
    return this.request<T>(path, { ...options, method: 'PUT', body });
  }

  patch<T>(path: string, body?: unknown, options: Omit<RequestOptions, 'method'> = {}): Promise<T> {
    return this.request<T>(path, { ...options, method: 'PATCH', body });
  }

  delete<T>(path: string, options: Omit<RequestOptions, 'method' | 'body'> = {}): Promise<T> {
    return this.request<T>(path, { ...options, method: 'DELETE' });
  }

  async request<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const auth = options.auth ?? true;
    if (!auth) return this.parse<T>(await this.send(path, options, null), options.responseType);

    // After a reload only the cookie is left: renew first instead of a certain 401.
    if (this.accessToken === null && this.hasStoredSession() && !(await this.refresh())) {
      throw new ApiError({
        statusCode: 401,
        code: ErrorCode.Unauthenticated,
        message: 'The session has ended',
      });
    }

    const tokenUsed = this.accessToken;
    const response = await this.send(path, options, tokenUsed);
    if (response.status !== 401) return this.parse<T>(response, options.responseType);

    const error = await this.toError(response);
    if (error.code !== ErrorCode.Unauthenticated) throw error;
    // Another request may have renewed the token while this one was on its way.
    const renewed = this.accessToken !== null && this.accessToken !== tokenUsed;
    if (!renewed && !(await this.refresh())) throw error;

    const retried = await this.send(path, options, this.accessToken);
    if (retried.status === 401) {
      // A fresh token refused: the user was deactivated or the session revoked.
      const retryError = await this.toError(retried);
      if (retryError.code === ErrorCode.Unauthenticated) this.signOut();
      throw retryError;
    }
    return this.parse<T>(retried, options.responseType);
  }

  /**
   * Renew the access token with the refresh cookie. Concurrent callers share one request, and
   * the tabs coordinate (`RefreshCoordinator`): one refreshes, the others take its token, so
   * that the same cookie is rarely sent twice. Resolves false, after signing out, when the
   * server refuses; rejects on no answer.
   */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.tabs
      .run(() => this.requestAccessToken())
      .then((outcome) => this.settleRefresh(outcome))
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  }

  private settleRefresh(outcome: RefreshOutcome): boolean {
    if (outcome.kind === 'renewed') {
      this.setAccessToken(outcome.accessToken);
      for (const listener of [...this.accessTokenListeners]) listener(outcome.accessToken);
      return true;
    }
    // Signed out here or in another tab meanwhile: say so once, not at every late caller.
    if (outcome.kind === 'ended' || this.accessToken !== null) this.signOut();
    return false;
  }

  private async requestAccessToken(): Promise<RefreshOutcome> {
    if (!this.hasStoredSession()) return { kind: 'noSession' };
    const response = await this.send(
      '/auth/refresh',
      { method: 'POST', headers: COOKIE_TRANSPORT },
      null,
    );
    if (response.ok) {
      const { accessToken } = await this.parse<AccessTokenResponse>(response);
      return { kind: 'renewed', accessToken };
    }
    const error = await this.toError(response);
    // 4xx: the token is dead (expired, revoked, reused). 5xx: keep it and let the caller retry.
    if (error.statusCode >= 400 && error.statusCode < 500) return { kind: 'ended' };
    throw error;
  }

  /**
   * Resume the session of the refresh cookie: refresh, then GET /me. Resolves null
   * when there is no session to restore. One restore per sign-in (safe under StrictMode).
   */
  restoreSession(): Promise<UserDto | null> {
    this.restoring ??= (async () => {
      if (!this.hasStoredSession()) return null;
      if (!(await this.refresh())) return null;
      return this.get<UserDto>('/me');
    })().catch((error: unknown) => {
      // No answer, or a 5xx: the session may well be fine. The next attempt asks again.
      this.restoring = null;
      throw error;
    });
    return this.restoring;
  }

  /**
   * A valid access token for the socket handshake (asked again on every reconnect): the
   * current one, or a fresh one when it has expired or only the cookie is left. Null when
   * signed out.
   */
  async socketToken(): Promise<string | null> {
    const expired = this.accessTokenExpiresAt !== null && Date.now() >= this.accessTokenExpiresAt;
    if (
      (this.accessToken === null || expired) &&
      !(this.hasStoredSession() && (await this.refresh()))
    ) {
      return null;
    }
    return this.accessToken;
  }

  async login(email: string, password: string): Promise<UserDto> {
    const result = await this.post<CookieLoginResponse>(
      '/auth/login',
      { email, password },
      { auth: false, headers: COOKIE_TRANSPORT },
    );
    this.setAccessToken(result.accessToken);
    return result.user;
  }

  /**
   * Revoke the session on the server (best effort; the server clears the cookie), then
   * forget it here whatever happened.
   */
  async logout(): Promise<void> {
    try {
      if (this.accessToken !== null || this.hasStoredSession()) await this.post('/auth/logout');
    } catch {
      // Signing out locally is what matters to the user; the refresh family expires anyway.
    } finally {
      this.signOut();
    }
  }

  /** Forget the session here (the marker too, which signs out the other tabs) and tell the listeners. */
  signOut(): void {
    this.accessToken = null;
    this.accessTokenExpiresAt = null;
    this.restoring = null;
    this.cancelRenewal();
    this.storage.removeItem(SIGNED_IN_KEY);
    for (const listener of [...this.signedOutListeners]) listener();
  }

  private setAccessToken(accessToken: string): void {
    this.accessToken = accessToken;
    this.storage.setItem(SIGNED_IN_KEY, '1');
    this.cancelRenewal();
    const lifetime = tokenLifetimeSeconds(accessToken);
    this.accessTokenExpiresAt = lifetime === null ? null : Date.now() + lifetime * 1000;
    if (lifetime !== null) this.scheduleRenewal(renewalDelayMs(lifetime));
  }

  /**
   * Renew before the token expires, so that the live socket, which the server closes at its
   * token's expiry, gets the new one in time even when no request needed it.
   */
  private scheduleRenewal(delayMs: number): void {
    this.renewal = setTimeout(() => {
      this.renewal = null;
      this.refresh().catch(() => {
        if (this.accessToken !== null && this.renewal === null) {
          this.scheduleRenewal(RENEWAL_RETRY_MS);
        }
      });
    }, delayMs);
  }

  private cancelRenewal(): void {
    if (this.renewal !== null) clearTimeout(this.renewal);
    this.renewal = null;
  }

  private async send(
    path: string,
    options: RequestOptions,
    token: string | null,
  ): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    if (token !== null) headers.Authorization = `Bearer ${token}`;
    try {
      return await this.fetchImpl(`${this.baseUrl}${path}`, {
        method: options.method ?? 'GET',
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: options.signal,
        credentials: 'same-origin',
      });
    } catch (cause) {
      if (options.signal?.aborted) throw cause;
      throw ApiError.network(cause);
    }
  }

  private async parse<T>(response: Response, as: 'json' | 'text' = 'json'): Promise<T> {
    if (!response.ok) throw await this.toError(response);
    const text = await response.text();
    if (as === 'text') return text as T;
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  private async toError(response: Response): Promise<ApiError> {
    let body: unknown = undefined;
    try {
      const text = await response.text();
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      // Not JSON: a proxy's error page or similar.
    }
    // Retry-After in seconds (the header), else `details.retryAfterSeconds` of the body.
    const header = Number(response.headers.get('Retry-After') ?? Number.NaN);
    const detail = isApiErrorBody(body) ? Number(body.details?.retryAfterSeconds) : Number.NaN;
    const retryAfter = Number.isFinite(header) ? header : detail;
    const retryAfterSeconds =
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined;
    if (isApiErrorBody(body)) return new ApiError(body, retryAfterSeconds);
    return new ApiError(
      {
        statusCode: response.status,
        code: codeForStatus(response.status),
        message: response.statusText || `HTTP ${response.status}`,
      },
      retryAfterSeconds,
    );
  }
}
