import type { QuarantinedItemEntity } from '@toonbank/database';
import { storableText } from '@toonbank/platform';
import { QUARANTINE_RAW_PREVIEW_CHARS, type QuarantinedItemDto } from '@toonbank/shared';

/** A quarantined item as the API shows it: the start of its raw payload, not all of it (up to 1 MiB). */
export const presentQuarantinedItem = (row: QuarantinedItemEntity): QuarantinedItemDto => ({
  id: row.id,
  channelId: row.channelAccountId,
  source: row.source,
  externalId: row.externalId,
  authorHandle: row.authorHandle,
  reason: row.reason,
  lastError: row.lastError,
  attempts: row.attempts,
  receivedAt: row.receivedAt.toISOString(),
  rawPreview: storableText(row.raw.slice(0, QUARANTINE_RAW_PREVIEW_CHARS)),
  rawLength: row.raw.length,
  rawTruncated: row.rawTruncated,
});
