/**
 * The expiry (epoch milliseconds) of an access token that AccessTokens has verified, or null
 * when it carries none. Read from the token's payload: its signature is already checked, so
 * the claim is the signer's.
 */
export function accessTokenExpiry(verifiedToken: string): number | null {
  try {
    const payload = verifiedToken.split('.')[1] ?? '';
    const { exp } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      exp?: unknown;
    };
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : null;
  } catch {
    return null;
  }
}
