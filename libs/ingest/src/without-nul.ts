import type { InboundItem } from '@toonbank/channels';

const NUL = '\u0000';

/** ES2024's String methods (Node 20 has them; the es2023 typings do not). */
type WellFormedString = string & { isWellFormed(): boolean; toWellFormed(): string };

/** Unstorable: a NUL, or half a surrogate pair (PostgreSQL's JSON refuses a lone one). */
const unstorable = (s: string) => s.includes(NUL) || !(s as WellFormedString).isWellFormed();

/** The string without NUL characters, a lone surrogate replaced by U+FFFD. */
const storable = (s: string) => (s as WellFormedString).toWellFormed().replaceAll(NUL, '');

/** Whether any string in a JSON-like value (keys included) is unstorable. */
function anyUnstorable(value: unknown): boolean {
  if (typeof value === 'string') return unstorable(value);
  if (Array.isArray(value)) return value.some(anyUnstorable);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    for (const key of Object.keys(value)) {
      if (unstorable(key) || anyUnstorable((value as Record<string, unknown>)[key])) return true;
    }
  }
  return false;
}

/**
 * Every string in a JSON-like value (keys included) without NUL characters and with U+FFFD
 * for half a surrogate pair; the value itself when it has neither (nearly always: a storm's
 * items are not copied for nothing).
 */
export function stripNul<T>(value: T): T {
  if (!anyUnstorable(value)) return value;
  if (typeof value === 'string') return storable(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => stripNul(v)) as T;
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, v]) => [
        storable(key),
        stripNul(v),
      ]),
    ) as T;
  }
  return value;
}

/**
 * PostgreSQL stores no NUL character (not in text, not in jsonb) and its JSON no lone
 * surrogate (the writer sends its rows as JSON): a customer who writes one must not stop a
 * channel's ingest, so it goes before anything reaches the database.
 */
export const withoutNul = (item: InboundItem): InboundItem => stripNul(item);
