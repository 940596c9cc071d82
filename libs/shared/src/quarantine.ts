/** Where a quarantined item came in: a poll of the channel, or a webhook delivery. */
export const QUARANTINE_SOURCES = ['poll', 'webhook'] as const;
export type QuarantineSource = (typeof QUARANTINE_SOURCES)[number];

/** The most of a quarantined item's raw payload that is kept (1 MiB of JSON text); the rest is cut off. */
export const QUARANTINE_RAW_MAX_BYTES = 1024 * 1024;

/** The part of the raw payload an item in the list shows. */
export const QUARANTINE_RAW_PREVIEW_CHARS = 2000;

/** An item of `GET /api/channels/:id/quarantine`. */
export interface QuarantinedItemDto {
  id: string;
  channelId: string;
  source: QuarantineSource;
  /** The channel's id of the post, when it could be read. */
  externalId: string | null;
  authorHandle: string | null;
  /** Why it could not be stored when it came in. */
  reason: string;
  /** Why the latest retry failed (null before the first). */
  lastError: string | null;
  attempts: number;
  receivedAt: string;
  /** The start of the raw payload as kept (JSON text), at most QUARANTINE_RAW_PREVIEW_CHARS. */
  rawPreview: string;
  /** The length of the raw payload as kept, in characters. */
  rawLength: number;
  /** The payload was longer than QUARANTINE_RAW_MAX_BYTES and was cut off: a retry cannot store it. */
  rawTruncated: boolean;
}

/** The answer of `POST /api/channels/:id/quarantine/:itemId/retry` when the item was stored. */
export interface QuarantineRetryDto {
  /** The message now stored; `stored: false` when it was stored already (nothing twice). */
  stored: boolean;
  messageId: string;
  conversationId: string;
}
