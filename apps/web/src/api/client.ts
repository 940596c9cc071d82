import { ErrorCode, type LoginResponse, type TokenPair, type UserDto } from '@toonbank/shared';
import { ApiError, codeForStatus, isApiErrorBody } from './ApiError';

export const REFRESH_TOKEN_KEY = 'toonbank.refreshToken';

type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type FetchLike = (input: string, init: RequestInit) => Promise<Response>;
type TokenStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export interface ApiClientOptions {
  /** Base path of the API; `/api` (same origin, proxied by Vite in development). */
  baseUrl?: string;
  fetch?: FetchLike;
  /** Where the refresh token lives across reloads (localStorage in the browser). */
  storage: TokenStorage;
}

export interface RequestOptions {
  method?: HttpMethod;
  body?: unknown;
  signal?: AbortSignal;
  /** Send the access token and renew it on a 401 (default true). */
  auth?: boolean;
  /** `text`: the body as it came (a CSV export) instead of parsed JSON. */
  responseType?: 'json' | 'text';
}

type SignedOutListener = () => void;

/**
 * The one way the web app talks to the API.
 *
 * The access token lives in memory only; the refresh token in `storage`. A 401
 * `auth.unauthenticated` on an authenticated request triggers one refresh (shared by
 * every request that fails meanwhile) and one retry. When the server refuses the
 * refresh, the session is over: the tokens are dropped and listeners are told.
 */
export class ApiClient {
  private readonly baseUrl: string;
  private readonly fetchImpl: FetchLike;
  private readonly storage: TokenStorage;
  private accessToken: string | null = null;
  private refreshing: Promise<boolean> | null = null;
  private restoring: Promise<UserDto | null> | null = null;
  private readonly signedOutListeners = new Set<SignedOutListener>();

  constructor(options: ApiClientOptions) {
    this.baseUrl = options.baseUrl ?? '/api';
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.storage = options.storage;
  }

  /** A refresh token is stored: a session may be restored without asking for a password. */
  hasStoredSession(): boolean {
    return this.storage.getItem(REFRESH_TOKEN_KEY) !== null;
  }

  /** Called whenever the session ends (logout, refused refresh, deactivated user). */
  onSignedOut(listener: SignedOutListener): () => void {
    this.signedOutListeners.add(listener);
    return () => {
      this.signedOutListeners.delete(listener);
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

    // After a reload only the refresh token is known: renew first instead of a certain 401.
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
   * Renew the access token with the stored refresh token. Concurrent callers share one
   * request (refresh tokens rotate: sending the same one twice would revoke the family).
   * Resolves false, after signing out, when the server refuses; rejects on no answer.
   */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.doRefresh().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async doRefresh(): Promise<boolean> {
    const refreshToken = this.storage.getItem(REFRESH_TOKEN_KEY);
    if (refreshToken === null) {
      this.signOut();
      return false;
    }
    const response = await this.send(
      '/auth/refresh',
      { method: 'POST', body: { refreshToken } },
      null,
    );
    if (response.ok) {
      this.setTokens(await this.parse<TokenPair>(response));
      return true;
    }
    const error = await this.toError(response);
    // 4xx: the token is dead (expired, revoked, reused). 5xx: keep it and let the caller retry.
    if (error.statusCode >= 400 && error.statusCode < 500) {
      this.signOut();
      return false;
    }
    throw error;
  }

  /**
   * Restore the session of a stored refresh token: refresh, then GET /me. Resolves null
   * when there is no session to restore. One restore per sign-in (safe under StrictMode).
   */
  restoreSession(): Promise<UserDto | null> {
    this.restoring ??= (async () => {
      if (!this.hasStoredSession()) return null;
      if (!(await this.refresh())) return null;
      return this.get<UserDto>('/me');
    })();
    return this.restoring;
  }

  /**
   * A valid access token for the socket handshake (asked again on every reconnect): the
   * current one, or a fresh one when only the refresh token is known. Null when signed out.
   */
  async socketToken(): Promise<string | null> {
    if (this.accessToken === null && !(this.hasStoredSession() && (await this.refresh()))) {
      return null;
    }
    return this.accessToken;
  }

  async login(email: string, password: string): Promise<UserDto> {
    const result = await this.post<LoginResponse>(
      '/auth/login',
      { email, password },
      { auth: false },
    );
    this.setTokens(result);
    return result.user;
  }

  /** Revoke the session on the server (best effort), then forget it here whatever happened. */
  async logout(): Promise<void> {
    try {
      if (this.accessToken !== null || this.hasStoredSession()) await this.post('/auth/logout');
    } catch {
      // Signing out locally is what matters to the user; the refresh family expires anyway.
    } finally {
      this.signOut();
    }
  }

  /** Forget the tokens and tell the listeners. */
  signOut(): void {
    this.accessToken = null;
    this.restoring = null;
    this.storage.removeItem(REFRESH_TOKEN_KEY);
    for (const listener of [...this.signedOutListeners]) listener();
  }

  private setTokens(tokens: TokenPair): void {
    this.accessToken = tokens.accessToken;
    this.storage.setItem(REFRESH_TOKEN_KEY, tokens.refreshToken);
  }

  private async send(
    path: string,
    options: RequestOptions,
    token: string | null,
  ): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json' };
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
