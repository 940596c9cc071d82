import type { ConversationDto } from '@toonbank/shared';
import { useCallback, useEffect, useState } from 'react';

/** How the open-work tabs (mine, unassigned) are ordered: SLA due first, or newest activity. */
export type InboxSort = 'sla' | 'newest';
export const INBOX_SORTS: readonly InboxSort[] = ['sla', 'newest'];

/**
 * What the inbox remembers for one user in this browser (localStorage, per user id):
 * - `since`: when this user first used the inbox here, by the server's clock (it is compared
 *   with the server's `lastMessageAt`: a browser clock running ahead would hide new work).
 *   Nothing older is "new", so the first visit does not mark a whole day of work as new.
 *   `null` on first use until the server's time is known (`firstUseSince`): nothing is new yet.
 * - `seen`: per conversation, the `lastMessageAt` it had when this user last had it open.
 *   A conversation is new while its `lastMessageAt` is later than that (or than `since`
 *   when it was never opened): a new message in an opened conversation makes it new again.
 * - `sort`: the order chosen for the open-work tabs.
 * Bounded: at most `MAX_SEEN` entries; when more are opened, the oldest go and `since` moves
 * up to the newest of them, so that none of them comes back as new. Entries no newer than
 * `since` say nothing and are dropped too.
 */
export interface InboxMemory {
  since: string | null;
  seen: Record<string, string>;
  sort: InboxSort;
}

export const MAX_SEEN = 500;
export const memoryKey = (userId: string) => `toonbank.inbox.${userId}`;

type MemoryStorage = Pick<Storage, 'getItem' | 'setItem'>;

const isIso = (value: unknown): value is string =>
  typeof value === 'string' && !Number.isNaN(Date.parse(value));

/** The user's memory, or a fresh one waiting for the server's time (first use, or unreadable). */
export function readMemory(storage: MemoryStorage | null, userId: string): InboxMemory {
  const fresh: InboxMemory = { since: null, seen: {}, sort: 'sla' };
  let stored: unknown;
  try {
    stored = JSON.parse(storage?.getItem(memoryKey(userId)) ?? 'null');
  } catch {
    stored = null;
  }
  if (!stored || typeof stored !== 'object') return fresh;
  const { since, seen, sort } = stored as Partial<Record<keyof InboxMemory, unknown>>;
  if (!isIso(since)) return fresh;
  const entries =
    seen && typeof seen === 'object'
      ? Object.entries(seen as Record<string, unknown>).filter((entry): entry is [string, string] =>
          isIso(entry[1]),
        )
      : [];
  return {
    since,
    seen: Object.fromEntries(entries),
    sort: INBOX_SORTS.includes(sort as InboxSort) ? (sort as InboxSort) : 'sla',
  };
}

export function writeMemory(storage: MemoryStorage | null, userId: string, memory: InboxMemory) {
  try {
    storage?.setItem(memoryKey(userId), JSON.stringify(memory));
  } catch {
    // A full or refused storage only loses the markers, never the inbox.
  }
}

/** New: activity later than when this user last had it open (or than their first use). */
export function isNew(
  memory: InboxMemory,
  conversation: Pick<ConversationDto, 'id' | 'lastMessageAt'>,
): boolean {
  const floor = memory.seen[conversation.id] ?? memory.since;
  return floor !== null && Date.parse(conversation.lastMessageAt) > Date.parse(floor);
}

/**
 * The server's "now" at a first use: when the counts snapshot was taken, or the newest
 * activity the first list shows if that is later (the snapshot may be a few seconds old); null
 * while neither is known. Never the browser's clock.
 */
export function firstUseSince(
  computedAt: string | undefined,
  conversations: readonly Pick<ConversationDto, 'lastMessageAt'>[],
): string | null {
  let since = computedAt && isIso(computedAt) ? computedAt : null;
  for (const { lastMessageAt } of conversations)
    if (since === null || Date.parse(lastMessageAt) > Date.parse(since)) since = lastMessageAt;
  return since;
}

/** The memory with its first use set at `since` (server time), unless it has one already. */
export const withSince = (memory: InboxMemory, since: string | null): InboxMemory =>
  memory.since === null && since !== null ? { ...memory, since } : memory;

/** The memory after this user has seen `conversation` as it is now (bounded, see above). */
export function markSeen(
  memory: InboxMemory,
  conversation: Pick<ConversationDto, 'id' | 'lastMessageAt'>,
  max = MAX_SEEN,
): InboxMemory {
  if (!isNew(memory, conversation)) return memory;
  let since = memory.since;
  let entries = Object.entries({ ...memory.seen, [conversation.id]: conversation.lastMessageAt });
  if (entries.length > max) {
    entries.sort((a, b) => Date.parse(a[1]) - Date.parse(b[1]));
    const dropped = entries.slice(0, entries.length - max);
    since = dropped[dropped.length - 1]![1];
    entries = entries.slice(entries.length - max);
  }
  const floor = since === null ? -Infinity : Date.parse(since);
  return {
    ...memory,
    since,
    seen: Object.fromEntries(entries.filter(([, at]) => Date.parse(at) > floor)),
  };
}

/** The inbox memory of one user, kept in localStorage as it changes. */
export function useInboxMemory(userId: string) {
  const storage = typeof window === 'undefined' ? null : window.localStorage;
  const [held, setHeld] = useState(() => ({ userId, memory: readMemory(storage, userId) }));
  if (held.userId !== userId) setHeld({ userId, memory: readMemory(storage, userId) });
  // Written as it changes; the first use's baseline at once, so that a reload keeps it.
  useEffect(() => writeMemory(storage, held.userId, held.memory), [storage, held]);
  const update = useCallback(
    (change: (memory: InboxMemory) => InboxMemory) =>
      setHeld((current) => {
        const memory = change(current.memory);
        return memory === current.memory ? current : { ...current, memory };
      }),
    [],
  );
  return { memory: held.memory, update };
}
