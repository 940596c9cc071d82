import { itemToJson, type InboundItem } from '@toonbank/channels';
import { fieldNestedBeyond, storableText } from '@toonbank/platform';
import { QueryFailedError } from 'typeorm';
import { withoutNul } from '../without-nul';
import { rawJsonText } from './raw-json-text';

/**
 * Deeper than this, an item is not stored but quarantined. The channels' own payloads are
 * about ten levels deep; JSON.stringify, the queue's job payloads and PostgreSQL's jsonb all
 * recurse, and one of them overflows somewhere between a few thousand and 100,000 levels.
 */
export const MAX_ITEM_DEPTH = 100;
/** Longer external ids are not kept (the unique index would refuse them, and they are no id). */
const MAX_ID_LENGTH = 500;
const MAX_REASON_LENGTH = 1000;

/**
 * An item that cannot be stored, made safe to store and to put in a job: plain text and JSON
 * that PostgreSQL takes whatever the channel sent (the raw payload as capped JSON text).
 */
export interface QuarantineEntry {
  externalId: string | null;
  authorExternalId: string | null;
  authorHandle: string | null;
  reason: string;
  raw: string;
  rawTruncated: boolean;
  /** The item as the connector read it, without `raw`; null when it could not be kept. */
  item: Record<string, unknown> | null;
}

const safeId = (value: unknown): string | null =>
  typeof value === 'string' && value.length <= MAX_ID_LENGTH ? storableText(value) : null;

/** An error's message, one storable line of at most 1,000 characters. */
export function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const line = storableText(message).replace(/\s+/g, ' ').trim() || 'unknown error';
  return line.length > MAX_REASON_LENGTH ? `${line.slice(0, MAX_REASON_LENGTH - 1)}…` : line;
}

/** What the quarantine keeps of an item. Never throws: this is what happens when all else failed. */
export function quarantineEntry(item: InboundItem, reason: string): QuarantineEntry {
  const raw = rawJsonText(item.raw);
  let fields: Record<string, unknown> | null;
  try {
    const { raw: _raw, ...rest } = itemToJson({ ...item, raw: {} });
    fields = withoutNul(rest as unknown as InboundItem) as unknown as Record<string, unknown>;
  } catch {
    fields = null; // e.g. an invalid date: the raw payload is all there is
  }
  return {
    externalId: safeId(item.externalId),
    authorExternalId: safeId(item.authorExternalId),
    authorHandle: safeId(item.authorHandle),
    reason: reasonOf(reason),
    raw: raw.text,
    rawTruncated: raw.truncated,
    item: fields,
  };
}

/**
 * What the quarantine keeps of an item its connector rejected (not the documented shape, or its
 * reading threw): the raw payload and why; nothing to retry, only to read and discard.
 */
export function rejectedEntry(rejected: { reason: string; raw: unknown }): QuarantineEntry {
  const raw = rawJsonText(rejected.raw);
  const id =
    typeof rejected.raw === 'object' && rejected.raw !== null && !Array.isArray(rejected.raw)
      ? (rejected.raw as Record<string, unknown>).id
      : undefined;
  return {
    externalId: safeId(id),
    authorExternalId: null,
    authorHandle: null,
    reason: reasonOf(`rejected by the connector: ${rejected.reason}`),
    raw: raw.text,
    rawTruncated: raw.truncated,
    item: null,
  };
}

/** Why an item cannot be stored as it is, before anything walks it recursively; null when it can. */
export function unstorableReason(item: InboundItem): string | null {
  const field = fieldNestedBeyond(item.raw, MAX_ITEM_DEPTH);
  if (field === undefined) return null;
  return `the payload is nested deeper than ${MAX_ITEM_DEPTH} levels${field ? ` (in ${field})` : ''}`;
}

/**
 * The items that may be stored (their text made storable) and what the rest leaves for the
 * quarantine. Used where items enter a job (the poller) and where they are stored (the
 * writer), so that one item never takes its page down.
 */
export function screenItems(items: InboundItem[]): {
  storable: InboundItem[];
  quarantined: QuarantineEntry[];
} {
  const storable: InboundItem[] = [];
  const quarantined: QuarantineEntry[] = [];
  for (const item of items) {
    let reason: string | null;
    let clean: InboundItem | undefined;
    try {
      reason = unstorableReason(item);
      if (!reason) clean = withoutNul(item);
    } catch (error) {
      reason = `the item could not be read: ${reasonOf(error)}`;
    }
    if (clean) storable.push(clean);
    else quarantined.push(quarantineEntry(item, reason ?? 'the item could not be read'));
  }
  return { storable, quarantined };
}

/** SQLSTATE classes that blame the data: 22 data exception, 54 program limit exceeded. */
const ITEM_FAULT_CLASSES = new Set(['22', '54']);
/** Integrity violations that blame the data: NOT NULL, CHECK. */
const ITEM_FAULT_CODES = new Set(['23502', '23514']);

/**
 * Whether storing failed because of what was stored (quarantine it) rather than because of
 * the database or the network (fail the job, retry it later): PostgreSQL refusing a value,
 * a RangeError (a stack overflowed, a date out of range).
 */
export function isItemFault(error: unknown): boolean {
  if (error instanceof RangeError) return true;
  if (!(error instanceof QueryFailedError)) return false;
  const code = (error.driverError as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string') return false;
  return ITEM_FAULT_CLASSES.has(code.slice(0, 2)) || ITEM_FAULT_CODES.has(code);
}

/** A quarantine entry as a job carries it, and back. */
export const entryToJson = (entry: QuarantineEntry): Record<string, unknown> => ({ ...entry });
export const entryFromJson = (json: Record<string, unknown>): QuarantineEntry =>
  json as unknown as QuarantineEntry;
