import type { QuarantinedItemEntity } from '@toonbank/database';
import { storableText } from '@toonbank/platform';
import { QUARANTINE_RAW_PREVIEW_CHARS, type QuarantinedItemDto } from '@toonbank/shared';

/**
 * A quarantined item without its raw payload (up to 1 MiB) and the item as read: the start of
 * the payload and its length, as PostgreSQL cuts and counts them. Only a retry reads it whole.
 */
export type QuarantinedItemSummary = Omit<QuarantinedItemEntity, 'raw' | 'item'> & {
  rawPreview: string;
  rawLength: number;
};

export const presentQuarantinedItem = (row: QuarantinedItemSummary): QuarantinedItemDto => ({
  id: row.id,
  channelId: row.channelAccountId,
  source: row.source,
  externalId: row.externalId,
  authorHandle: row.authorHandle,
  reason: row.reason,
  lastError: row.lastError,
  attempts: row.attempts,
  receivedAt: row.receivedAt.toISOString(),
  // PostgreSQL cuts by code points; the contract counts JavaScript characters.
  rawPreview: storableText(row.rawPreview.slice(0, QUARANTINE_RAW_PREVIEW_CHARS)),
  rawLength: row.rawLength,
  rawTruncated: row.rawTruncated,
});
