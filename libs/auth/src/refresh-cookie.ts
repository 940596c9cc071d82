import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { cookieValue, type Environment } from '@toonbank/platform';
import {
  REFRESH_COOKIE_NAME,
  REFRESH_TRANSPORT_COOKIE,
  REFRESH_TRANSPORT_HEADER,
} from '@toonbank/shared';
import type { CookieOptions, Request, Response } from 'express';
import { refreshCookieAttributes, refreshCookieMaxAge } from './refresh-cookie-attributes';

/** The web app's refresh token as a cookie (attributes: refresh-cookie-attributes.ts). */
@Injectable()
export class RefreshCookie {
  private readonly attributes: CookieOptions;

  constructor(config: ConfigService<Environment, true>) {
    this.attributes = refreshCookieAttributes(config.get('NODE_ENV', { infer: true }));
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
    const maxAge = refreshCookieMaxAge(familyExpiresAt, new Date());
    response.cookie(REFRESH_COOKIE_NAME, refreshToken, { ...this.attributes, maxAge });
  }

  clear(response: Response): void {
    response.clearCookie(REFRESH_COOKIE_NAME, this.attributes);
  }
}
