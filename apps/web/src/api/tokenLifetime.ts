/** The renewal comes this far ahead of expiry at most (background tabs' timers may lag a minute). */
const MAX_LEAD_MS = 2 * 60_000;
const MIN_DELAY_MS = 1_000;

const decodeSegment = (segment: string): unknown => {
  const base64 = segment.replace(/-/g, '+').replace(/_/g, '/');
  return JSON.parse(atob(base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), '=')));
};

/**
 * How long an access token lives (`exp - iat`, in seconds), read from the JWT's payload
 * without verifying it: the server judges the token, the client only plans its renewal.
 * Measured as a duration, not against the local clock, which may be off. Null when the token
 * is not a JWT with both claims.
 */
export function tokenLifetimeSeconds(token: string): number | null {
  const segments = token.split('.');
  if (segments.length !== 3) return null;
  try {
    const claims = decodeSegment(segments[1] as string) as { iat?: unknown; exp?: unknown };
    const { iat, exp } = claims ?? {};
    if (typeof iat !== 'number' || typeof exp !== 'number' || exp <= iat) return null;
    return exp - iat;
  } catch {
    return null;
  }
}

/**
 * When to renew a token that lives `lifetimeSeconds`, counted from its receipt: a fifth of
 * its life before it ends, two minutes at most, and never sooner than a second.
 */
export function renewalDelayMs(lifetimeSeconds: number): number {
  const lifetime = lifetimeSeconds * 1000;
  return Math.max(MIN_DELAY_MS, lifetime - Math.min(MAX_LEAD_MS, lifetime / 5));
}
