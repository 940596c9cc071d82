import type { RoutingStrategy } from '@toonbank/shared';

/** Someone routing may give a conversation to: eligible, active and available already. */
export interface RoutingCandidate {
  id: string;
  /** Open conversations (assigned and waiting). */
  load: number;
  capacity: number;
  languages: string[];
  lastAssignedAt: Date | null;
}

const leastRecentlyAssigned = (a: RoutingCandidate, b: RoutingCandidate): number => {
  const at = a.lastAssignedAt?.getTime() ?? -Infinity;
  const bt = b.lastAssignedAt?.getTime() ?? -Infinity;
  return at !== bt ? at - bt : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
};

const ORDER: Record<
  Exclude<RoutingStrategy, 'manual'>,
  (a: RoutingCandidate, b: RoutingCandidate) => number
> = {
  least_loaded: (a, b) => a.load - b.load || leastRecentlyAssigned(a, b),
  round_robin: leastRecentlyAssigned,
};

/**
 * SPEC.md §4: who gets the next conversation. Only people with room (load below capacity);
 * where the conversation's language is known, those who speak it first, when any of them
 * has room; then the strategy's order, ties to whoever was assigned least recently, then id.
 * `manual` never chooses. Null when nobody can take it.
 */
export function chooseAssignee(
  candidates: readonly RoutingCandidate[],
  strategy: RoutingStrategy,
  language: string | null,
): RoutingCandidate | null {
  if (strategy === 'manual') return null;
  const withRoom = candidates.filter((c) => c.load < c.capacity);
  const speakers = language ? withRoom.filter((c) => c.languages.includes(language)) : [];
  const pool = speakers.length > 0 ? speakers : withRoom;
  return [...pool].sort(ORDER[strategy])[0] ?? null;
}
