/**
 * The right to erasure (API.md §Audit, reports, privacy). An erased customer's rows stay, so
 * that the reports keep counting them; their words, names and raw payloads go.
 */

/** What every erased text reads: the customer's messages, our replies to them, notes, previews. */
export const ERASED_TEXT = '[erased]';

/**
 * An erased customer's handle and channel id become `erased-` and 12 random hex digits, one
 * per erasure: their conversations stay one customer's and apart from everyone else's, and
 * nothing (no hash of the handle) leads back to the person.
 */
export const ERASED_CUSTOMER_PATTERN = /^erased-[0-9a-f]{12}$/;

/** `POST /api/customers/erase` → 200: how many of the customer's messages and conversations were erased. */
export interface CustomerErasureDto {
  /** The customer's own (inbound) messages on the channel account. */
  messages: number;
  /** The conversations they started there, now under the pseudonym. */
  conversations: number;
}
