import type { Environment } from '@toonbank/platform';
import { REFRESH_COOKIE_PATH } from '@toonbank/shared';
import type { CookieOptions } from 'express';

/**
 * HttpOnly, SameSite=Strict, for the auth routes only (README "Sessions in the browser").
 * Secure everywhere but development and tests, which run over plain http.
 */
export const refreshCookieAttributes = (environment: Environment['NODE_ENV']): CookieOptions => ({
  httpOnly: true,
  sameSite: 'strict',
  secure: environment !== 'development' && environment !== 'test',
  path: REFRESH_COOKIE_PATH,
});

/** The cookie lives as long as the sign-in (the refresh token family) it belongs to. */
export const refreshCookieMaxAge = (familyExpiresAt: Date, now: Date): number =>
  Math.max(0, familyExpiresAt.getTime() - now.getTime());
