import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { cookieValue, type Environment } from '@toonbank/platform';
import {
  REFRESH_COOKIE_NAME,
  REFRESH_COOKIE_PATH,
  REFRESH_TRANSPORT_COOKIE,
  REFRESH_TRANSPORT_HEADER,
} from '@toonbank/shared';
import type { CookieOptions, Request, Response } from 'express';

/**
 * The web app's refresh token as an HttpOnly, SameSite=Strict cookie for the auth routes
 * only (README "Sessions in the browser"). Secure everywhere but development and tests,
 * which run over plain http.
 */
@Injectable()
export class RefreshCookie {
  private readonly attributes: CookieOptions;

  constructor(config: ConfigService<Environment, true>) {
    const environment = config.get('NODE_ENV', { infer: true });
    this.attributes = {
      httpOnly: true,
      sameSite: 'strict',
      secure: environment !== 'development' && environment !== 'test',
      path: REFRESH_COOKIE_PATH,
    };
  }

  /** The request asks for the cookie transport (`X-Refresh-Transport: cookie`). */
  requested(request: Request): boolean {
    return (
      request.header(REFRESH_TRANSPORT_HEADER)?.trim().toLowerCase() === REFRESH_TRANSPORT_COOKIE
    );
  }

  read(request: Request): string | undefined {
    return cookieValue(request.headers.cookie, REFRESH_COOKIE_NAME);
  }

  /** Lives as long as the sign-in (the refresh token family) it belongs to. */
  set(response: Response, refreshToken: string, familyExpiresAt: Date): void {
    const maxAge = Math.max(0, familyExpiresAt.getTime() - Date.now());
    response.cookie(REFRESH_COOKIE_NAME, refreshToken, { ...this.attributes, maxAge });
  }

  clear(response: Response): void {
    response.clearCookie(REFRESH_COOKIE_NAME, this.attributes);
  }
}
