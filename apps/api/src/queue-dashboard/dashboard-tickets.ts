import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AccessClaims } from '@toonbank/auth';

/** What a ticket says: the signed-in session it was issued to, and until when it opens the dashboard. */
export interface DashboardTicket extends AccessClaims {
  /** Seconds since the epoch. */
  exp: number;
}

export const TICKET_TTL_SECONDS = 10 * 60;

/**
 * Short-lived tickets for the queue dashboard's cookie: the session they were issued to
 * (user, organisation, session id) and an expiry, signed with HMAC-SHA256 under a key of
 * their own (derived from JWT_SECRET), so that neither an access token nor a paging cursor is
 * ever accepted as one.
 */
export class DashboardTickets {
  private readonly key: Buffer;

  constructor(jwtSecret: string) {
    this.key = createHmac('sha256', jwtSecret).update('toonbank:queue-dashboard').digest();
  }

  issue(claims: AccessClaims, now = Date.now()): { ticket: string; expiresAt: Date } {
    const exp = Math.floor(now / 1000) + TICKET_TTL_SECONDS;
    const body = Buffer.from(
      JSON.stringify({ sub: claims.sub, org: claims.org, sid: claims.sid, exp }),
    ).toString('base64url');
    return { ticket: `${body}.${this.sign(body)}`, expiresAt: new Date(exp * 1000) };
  }

  /** The claims of a ticket that is ours and not expired, else null. */
  verify(ticket: string | undefined, now = Date.now()): DashboardTicket | null {
    const [body, signature, ...rest] = (ticket ?? '').split('.');
    if (!body || !signature || rest.length > 0) return null;
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    try {
      const claims = JSON.parse(
        Buffer.from(body, 'base64url').toString(),
      ) as Partial<DashboardTicket>;
      const { sub, org, sid, exp } = claims;
      if (typeof sub !== 'string' || typeof org !== 'string' || typeof sid !== 'string')
        return null;
      if (typeof exp !== 'number' || exp * 1000 <= now) return null;
      return { sub, org, sid, exp };
    } catch {
      return null;
    }
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
