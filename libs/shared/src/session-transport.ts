import type { UserDto } from './contract';

/**
 * How the web app keeps its refresh token out of JavaScript's reach (README "Sessions in the
 * browser"). A request with this header and value asks `POST /api/auth/login` and
 * `POST /api/auth/refresh` to set the refresh token as an HttpOnly cookie and to leave it
 * out of the body. A refresh by cookie is honoured only with the header: a page of another
 * site cannot send a custom header without a CORS preflight, which the API never grants.
 */
export const REFRESH_TRANSPORT_HEADER = 'X-Refresh-Transport';
export const REFRESH_TRANSPORT_COOKIE = 'cookie';

/** The refresh token's cookie: HttpOnly, SameSite=Strict, sent to the auth routes only. */
export const REFRESH_COOKIE_NAME = 'toonbank_refresh';
export const REFRESH_COOKIE_PATH = '/api/auth';

/** `POST /api/auth/login` by cookie: the refresh token went into the cookie. */
export interface CookieLoginResponse {
  accessToken: string;
  user: UserDto;
}

/** `POST /api/auth/refresh` by cookie: the new refresh token went into the cookie. */
export interface AccessTokenResponse {
  accessToken: string;
}
