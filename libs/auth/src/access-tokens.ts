import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';

/** What an access token says: who, of which organisation, in which session. */
export interface AccessClaims {
  sub: string;
  org: string;
  sid: string;
}

const ISSUER = 'toonbank';
const AUDIENCE = 'toonbank-api';

/** Signs and checks the short-lived JWT access tokens (HS256). */
@Injectable()
export class AccessTokens {
  constructor(private readonly jwt: JwtService) {}

  /** The same claims and issue time always sign the same token (HS256 is deterministic). */
  sign(claims: AccessClaims, issuedAt: Date = new Date()): Promise<string> {
    return this.jwt.signAsync(
      { ...claims, iat: Math.floor(issuedAt.getTime() / 1000) },
      { issuer: ISSUER, audience: AUDIENCE },
    );
  }

  /** The claims of a valid token, or null for a bad, expired, never-expiring or foreign one. */
  async verify(token: string): Promise<AccessClaims | null> {
    try {
      const claims = await this.jwt.verifyAsync<Partial<AccessClaims> & { exp?: unknown }>(token, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['HS256'],
      });
      const { sub, org, sid, exp } = claims;
      // A token without exp would never expire: only a bug could sign one, refuse it anyway.
      return typeof sub === 'string' &&
        typeof org === 'string' &&
        typeof sid === 'string' &&
        typeof exp === 'number'
        ? { sub, org, sid }
        : null;
    } catch {
      return null;
    }
  }
}
