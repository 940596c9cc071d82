import type { InboundItem } from '@toonbank/channels';

const NUL = '\u0000';

/** Every string in a JSON-like value without NUL characters (keys included). */
export function stripNul<T>(value: T): T {
  if (typeof value === 'string') return value.replaceAll(NUL, '') as T;
  if (Array.isArray(value)) return value.map((v: unknown) => stripNul(v)) as T;
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, v]) => [
        key.replaceAll(NUL, ''),
        stripNul(v),
      ]),
    ) as T;
  }
  return value;
}

/**
 * PostgreSQL stores no NUL character (not in text, not in jsonb): a customer who writes one
 * must not stop a channel's ingest, so it goes before anything reaches the database.
 */
export const withoutNul = (item: InboundItem): InboundItem => stripNul(item);
