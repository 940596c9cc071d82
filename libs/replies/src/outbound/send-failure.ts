import {
  Ambiguous,
  AuthExpired,
  CredentialsInvalid,
  InvalidPayload,
  NetworkError,
  Permanent,
  RateLimited,
  type ChannelError,
} from '@toonbank/channels';
import type { ReplyFailure } from '@toonbank/shared';

/**
 * The outbound queue's own rule for a repeat: a send that may have arrived (a timeout after the
 * request left, an answer that names no post) is made again only where the channel de-duplicates
 * (repeat-send.ts).
 */
export function mayHaveArrivedAfter(error: ChannelError): boolean {
  return error instanceof Ambiguous || (error instanceof NetworkError && error.maybeDelivered);
}

/**
 * Does the channel's answer prove that this attempt posted nothing? Only a refusal answered
 * before anything was posted: a 4xx (`Permanent`: the content, the thread or the channel's rules
 * refused; also our own checks before a request, such as a customer who cannot be mentioned),
 * refused credentials, a rate limit, or a connection that never opened. A 5xx, a timeout after
 * the request left, a reset mid-answer or an answer without a post id do not: the post may be
 * there (a proxy answering 502 while the channel posted it).
 */
export function provesNotArrived(error: ChannelError): boolean {
  if (error instanceof NetworkError) return !error.maybeDelivered;
  return (
    error instanceof Permanent ||
    error instanceof AuthExpired ||
    error instanceof CredentialsInvalid ||
    error instanceof RateLimited ||
    error instanceof InvalidPayload
  );
}

/**
 * A failed reply's `failure`: `not_sent` only when no attempt may have reached the channel, the
 * last one included (`earlierMayHaveArrived`: `may_have_arrived` when this attempt began).
 */
export function failureOf(earlierMayHaveArrived: boolean, error: ChannelError): ReplyFailure {
  return earlierMayHaveArrived || !provesNotArrived(error) ? 'maybe_sent' : 'not_sent';
}
