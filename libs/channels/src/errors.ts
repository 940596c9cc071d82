/**
 * What a channel's failure means, decided by the provider that understands the channel's
 * answers; one place (the ingest and outbound processors) decides what to do about each.
 */
export abstract class ChannelError extends Error {
  abstract readonly kind:
    | 'rate_limited'
    | 'auth_expired'
    | 'credentials_invalid'
    | 'invalid_payload'
    | 'transient'
    | 'permanent'
    | 'ambiguous';
}

/** Over the channel's limit: wait until `retryAt`, then go on from the same cursor. */
export class RateLimited extends ChannelError {
  readonly kind = 'rate_limited';
  constructor(
    readonly retryAt: Date,
    message = `rate limited until ${retryAt.toISOString()}`,
  ) {
    super(message);
  }
}

/** The token expired or was revoked: refresh it (or the channel is degraded until an admin fixes it). */
export class AuthExpired extends ChannelError {
  readonly kind = 'auth_expired';
}

/**
 * The channel answered that the access token has expired or is no longer valid (Bluesky's
 * `ExpiredToken`, a 401 of X or Mastodon, Meta's OAuthException 190), whatever its own `exp`
 * says (the channel's clock may run ahead of ours). The session layer renews the session
 * (forced) and tries the call once more; refused again, it is an AuthExpired like any other.
 */
export class TokenExpired extends AuthExpired {}

/** The channel refused the credentials when connecting (422 `channel.credentials_invalid`). */
export class CredentialsInvalid extends ChannelError {
  readonly kind = 'credentials_invalid';
}

/** An item the channel sent does not have the documented shape: skipped, the rest goes on. */
export class InvalidPayload extends ChannelError {
  readonly kind = 'invalid_payload';
}

/**
 * Why one item of a page was rejected: an InvalidPayload's own words, or what else its
 * reading threw (an item the connector did not foresee must not take its page down).
 */
export function rejectionReason(error: unknown): string {
  if (error instanceof InvalidPayload) return error.message;
  const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return `the item could not be read (${what.slice(0, 500)})`;
}

/** Worth another try later (5xx, a reset connection, a timeout where retrying is safe). */
export class Transient extends ChannelError {
  readonly kind = 'transient';
}

/** Retrying will not help (4xx, content refused): a reply is `failed` with this reason. */
export class Permanent extends ChannelError {
  readonly kind = 'permanent';
}

/**
 * A send may or may not have reached the channel (a timeout after the request left) on a
 * channel without idempotency: never retried blindly.
 */
export class Ambiguous extends ChannelError {
  readonly kind = 'ambiguous';
}

/**
 * The network failed. `maybeDelivered` is false when the request never left (refused,
 * no such host): safe to retry anywhere. True when it may have arrived (a timeout, a reset
 * after sending): a send on a channel without idempotency must then not be retried blindly.
 */
export class NetworkError extends Transient {
  constructor(
    message: string,
    readonly maybeDelivered: boolean,
  ) {
    super(message);
  }
}
