import { createHash, createHmac, randomBytes } from 'node:crypto';

/** A new opaque refresh token (256 random bits). */
export const newRefreshToken = (): string => randomBytes(32).toString('base64url');

/** Only this is stored: a leaked table holds no usable token. */
export const hashRefreshToken = (token: string): string =>
  createHash('sha256').update(token).digest('base64url');

/**
 * How long a spent refresh token still answers with its successor: a second tab that sends
 * the same token (or cookie) moments after the first is not a thief. Later, a reuse is.
 */
export const REFRESH_REUSE_GRACE_MS = 30_000;

/** How many rotations a late presentation within the grace follows to the live token. */
export const REFRESH_CHAIN_STEPS = 5;

/**
 * A token's successor is derived, not drawn: HMAC-SHA256 of the token under a key of its own
 * (derived from JWT_SECRET, like the cursor and dashboard keys). So a second presentation
 * within the grace gets the very successor the first one got, and nothing that could hand it
 * out again is stored: the table keeps hashes only, and deriving needs both the spent token
 * and the server's key. A successor is as unpredictable as the key is secret.
 */
export class RefreshTokenSuccessors {
  private readonly key: Buffer;

  constructor(jwtSecret: string) {
    this.key = createHmac('sha256', jwtSecret).update('toonbank:refresh-successor').digest();
  }

  of(token: string): string {
    return createHmac('sha256', this.key).update(token).digest('base64url');
  }
}
