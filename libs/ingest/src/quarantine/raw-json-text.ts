import { QUARANTINE_RAW_MAX_BYTES } from '@toonbank/shared';

export interface RawJsonText {
  /** JSON text (escaped as JSON.stringify escapes: no NUL, no half surrogate pair). */
  text: string;
  /** The value's JSON was longer than the cap: `text` is its start only. */
  truncated: boolean;
}

type Task = { value: unknown; inArray: boolean } | { literal: string };

/**
 * A JSON-like value as JSON text, like JSON.stringify, but without recursion (a payload nested
 * 100,000 levels deep is written, where JSON.stringify overflows the stack) and cut off after
 * `maxBytes` bytes of UTF-8. It never throws on what JSON.parse can produce.
 */
export function rawJsonText(value: unknown, maxBytes = QUARANTINE_RAW_MAX_BYTES): RawJsonText {
  const parts: string[] = [];
  let bytes = 0;
  const stack: Task[] = [{ value, inArray: true }];
  while (stack.length > 0) {
    const task = stack.pop() as Task;
    const piece = 'literal' in task ? task.literal : scalarOrOpen(task, stack);
    if (piece === '') continue;
    const size = Buffer.byteLength(piece);
    if (bytes + size > maxBytes) {
      parts.push(utf8Prefix(piece, maxBytes - bytes));
      return { text: parts.join(''), truncated: true };
    }
    parts.push(piece);
    bytes += size;
  }
  return { text: parts.join(''), truncated: false };
}

/** A scalar's JSON; for an object or array its opening bracket, with its contents put on the stack. */
function scalarOrOpen(task: { value: unknown; inArray: boolean }, stack: Task[]): string {
  let value = task.value;
  if (value !== null && typeof value === 'object' && typeof (value as Date).toJSON === 'function') {
    value = (value as Date).toJSON();
  }
  if (value === null || value === undefined || typeof value === 'function') return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value !== 'object') return 'null'; // a bigint or symbol: JSON has none
  if (Array.isArray(value)) {
    stack.push({ literal: ']' });
    for (let i = value.length - 1; i >= 0; i--) {
      stack.push({ value: value[i] as unknown, inArray: true });
      if (i > 0) stack.push({ literal: ',' });
    }
    return '[';
  }
  // As JSON.stringify: members whose value JSON has no word for are left out.
  const members = Object.entries(value as Record<string, unknown>).filter(
    ([, member]) =>
      member !== undefined && typeof member !== 'function' && typeof member !== 'symbol',
  );
  stack.push({ literal: '}' });
  for (let i = members.length - 1; i >= 0; i--) {
    const [key, member] = members[i] as [string, unknown];
    stack.push({ value: member, inArray: false });
    stack.push({ literal: `${i > 0 ? ',' : ''}${JSON.stringify(key)}:` });
  }
  return '{';
}

/** The longest start of `text` that fits in `maxBytes` bytes of UTF-8, cut between characters. */
function utf8Prefix(text: string, maxBytes: number): string {
  if (maxBytes <= 0) return '';
  const bytes = Buffer.from(text.slice(0, maxBytes), 'utf8');
  if (bytes.length <= maxBytes) return bytes.toString('utf8');
  let end = maxBytes;
  // Back to the first byte of the character that does not fit (continuation bytes are 10xxxxxx).
  while (end > 0 && ((bytes[end] as number) & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString('utf8');
}
