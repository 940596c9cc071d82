import { createHash, randomBytes } from 'node:crypto';

/** A new opaque refresh token (256 random bits). */
export const newRefreshToken = (): string => randomBytes(32).toString('base64url');

/** Only this is stored: a leaked table holds no usable token. */
export const hashRefreshToken = (token: string): string =>
  createHash('sha256').update(token).digest('base64url');
