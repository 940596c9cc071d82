/**
 * Checks over the values a request carries (a parsed JSON body, a query), and the one
 * repair of text on its way into PostgreSQL. Every walk here is iterative and visits each
 * value once: a hostile body can neither overflow the stack nor cost more than its size.
 */

const NUL = '\u0000';

/** ES2024's String methods (Node 20 has them; the es2023 typings do not). */
type WellFormedString = string & { isWellFormed(): boolean; toWellFormed(): string };

/**
 * The deepest nesting of objects and arrays a request body may have. The contract's deepest
 * body is a Meta webhook delivery (body → entry[] → entry → changes[] → change → value →
 * from, 7 levels); businessHours is 4 (body → businessHours → day → interval). 32 leaves room
 * and stays far below where class-transformer's recursion overflows (about 2,000 levels).
 */
export const MAX_BODY_DEPTH = 32;

/**
 * Why PostgreSQL cannot store this text, or undefined when it can: its text and jsonb refuse
 * U+0000, and its JSON parser refuses half a UTF-16 surrogate pair (in text columns the
 * driver would silently turn one into U+FFFD).
 */
export function unstorableTextReason(text: string): string | undefined {
  if (text.includes(NUL)) return 'must not contain the NUL character (U+0000)';
  if (!(text as WellFormedString).isWellFormed()) {
    return 'must not contain half a UTF-16 surrogate pair';
  }
  return undefined;
}

/** A value in the walk, with the way back to the root (the path is only built when needed). */
interface Visit {
  value: unknown;
  key: string | undefined;
  parent: Visit | undefined;
  depth: number;
}

const isContainer = (value: unknown): value is object =>
  value !== null && typeof value === 'object' && !(value instanceof Date);

/** A key as it may be shown back: its unstorable characters replaced. */
const shownKey = (key: string) => storableText(key);

function pathOf(visit: Visit, root: string | undefined): string {
  const keys: string[] = [];
  for (let at: Visit | undefined = visit; at; at = at.parent) {
    if (at.key !== undefined) keys.push(shownKey(at.key));
  }
  if (root) keys.push(root);
  return keys.reverse().join('.');
}

/** Every value of a JSON-like tree, breadth first, children of a container after it. */
function* walk(value: unknown): Generator<Visit> {
  const queue: Visit[] = [{ value, key: undefined, parent: undefined, depth: 0 }];
  for (let index = 0; index < queue.length; index++) {
    const visit = queue[index];
    queue[index] = undefined as unknown as Visit; // let what was visited go
    yield visit;
    if (!isContainer(visit.value)) continue;
    for (const [key, child] of Object.entries(visit.value)) {
      queue.push({ value: child, key, parent: visit, depth: visit.depth + 1 });
    }
  }
}

/**
 * The top-level field (its key; '' for the body itself) holding an object or array nested
 * deeper than `maxDepth` levels, or undefined when there is none. The body is level 1.
 */
export function fieldNestedBeyond(value: unknown, maxDepth: number): string | undefined {
  const stack: Visit[] = [{ value, key: undefined, parent: undefined, depth: 1 }];
  while (stack.length > 0) {
    const visit = stack.pop() as Visit;
    if (!isContainer(visit.value)) continue;
    if (visit.depth > maxDepth) return topLevelKeyOf(visit);
    for (const [key, child] of Object.entries(visit.value)) {
      if (isContainer(child))
        stack.push({ value: child, key, parent: visit, depth: visit.depth + 1 });
    }
  }
  return undefined;
}

function topLevelKeyOf(visit: Visit): string {
  let at = visit;
  while (at.parent?.parent) at = at.parent;
  return at.key === undefined ? '' : shownKey(at.key);
}

/**
 * The fields of a request value whose text (a string, or an object's key) PostgreSQL cannot
 * store, as `dotted.path → [why]`; `root` names the value itself (a single query parameter).
 * At most `limit` fields are named.
 */
export function unstorableTextFields(
  value: unknown,
  root?: string,
  limit = 20,
): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  let found = 0;
  for (const visit of walk(value)) {
    if (found >= limit) break;
    const keyReason = visit.key === undefined ? undefined : unstorableTextReason(visit.key);
    const valueReason =
      typeof visit.value === 'string' ? unstorableTextReason(visit.value) : undefined;
    const reason = keyReason ? `its name ${keyReason}` : valueReason;
    if (!reason) continue;
    const path = pathOf(visit, root) || '(body)';
    fields[path] = [`${path} ${reason}`];
    found++;
  }
  return fields;
}

/** The text with every NUL and every half surrogate pair replaced by U+FFFD. */
export function storableText(text: string): string {
  if (unstorableTextReason(text) === undefined) return text;
  return (text as WellFormedString).toWellFormed().replaceAll(NUL, '\uFFFD');
}

/**
 * A JSON-like value with every string (and key) made storable; the value itself when
 * nothing needed it. Dates and other non-plain values are kept as they are. For values the
 * server builds itself (audit snapshots), which are shallow.
 */
export function storableJson<T>(value: T): T {
  if (typeof value === 'string') return storableText(value) as T;
  if (Array.isArray(value)) {
    const items = value.map((item: unknown) => storableJson(item));
    return (items.some((item, index) => item !== value[index]) ? items : value) as T;
  }
  if (
    value !== null &&
    typeof value === 'object' &&
    Object.getPrototypeOf(value) === Object.prototype
  ) {
    let changed = false;
    const entries = Object.entries(value as Record<string, unknown>).map(([key, inner]) => {
      const storable: [string, unknown] = [storableText(key), storableJson(inner)];
      changed ||= storable[0] !== key || storable[1] !== inner;
      return storable;
    });
    return (changed ? Object.fromEntries(entries) : value) as T;
  }
  return value;
}
