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
  return rankAssignees(candidates, strategy, language)[0] ?? null;
}

/** Everyone `chooseAssignee` chooses from, in the order it prefers them (its choice first). */
export function rankAssignees(
  candidates: readonly RoutingCandidate[],
  strategy: RoutingStrategy,
  language: string | null,
): RoutingCandidate[] {
  if (strategy === 'manual') return [];
  const withRoom = candidates.filter((c) => c.load < c.capacity);
  const speakers = language ? withRoom.filter((c) => c.languages.includes(language)) : [];
  const pool = speakers.length > 0 ? speakers : withRoom;
  return [...pool].sort(ORDER[strategy]);
}
