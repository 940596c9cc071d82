import type { RoutingStrategy } from '@toonbank/shared';

/** Someone routing may give a conversation to: eligible, active and available already. */
export interface RoutingCandidate {
  id: string;
  /** Open conversations (assigned and waiting). */
  load: number;
  capacity: number;
  languages: string[];
  lastAssignedAt: Date | null;
  /**
   * `lastAssignedAt` to the microsecond, when known that precisely: it decides instead. A
   * batch stamps its assignments a microsecond apart, so that the turns it gave stay in order.
   */
  lastAssignedMicros?: number | null;
}

const lastAssigned = (c: RoutingCandidate): number =>
  c.lastAssignedMicros ?? (c.lastAssignedAt ? c.lastAssignedAt.getTime() * 1000 : -Infinity);

const leastRecentlyAssigned = (a: RoutingCandidate, b: RoutingCandidate): number => {
  const at = lastAssigned(a);
  const bt = lastAssigned(b);
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
export function rankAssignees<C extends RoutingCandidate>(
  candidates: readonly C[],
  strategy: RoutingStrategy,
  language: string | null,
): C[] {
  if (strategy === 'manual') return [];
  const withRoom = candidates.filter((c) => c.load < c.capacity);
  const speakers = language ? withRoom.filter((c) => c.languages.includes(language)) : [];
  const pool = speakers.length > 0 ? speakers : withRoom;
  return [...pool].sort(ORDER[strategy]);
}

/** A candidate of a batch: `held` when this router holds their lock (only they may be given work). */
export interface BatchCandidate extends RoutingCandidate {
  held: boolean;
}

export interface BatchAssignment {
  conversationId: string;
  assigneeId: string;
  /** When, in microseconds since the epoch: the batch's start, plus one for each before it. */
  atMicros: number;
}

/**
 * A batch of conversations (in the queue's order) routed one after the other as
 * `chooseAssignee` would, each assignment counted in the load and the turn of whoever got it.
 * Only the people this router holds are given work: the first conversation passes over
 * those it does not hold for the next in line (another router may be assigning to them),
 * and the batch stops where anyone else would be the choice, so that a router holding only
 * some of the people never gives them more than their turn. `waitFor`: nobody held can take
 * the first conversation, and this is the person to wait for.
 */
export function planBatch(
  candidates: readonly BatchCandidate[],
  strategy: RoutingStrategy,
  conversations: readonly { id: string; language: string | null }[],
  startMicros: number,
): { assignments: BatchAssignment[]; waitFor: string | null } {
  const people = candidates.map((c) => ({ ...c }));
  const assignments: BatchAssignment[] = [];
  for (const conversation of conversations) {
    const ranked = rankAssignees(people, strategy, conversation.language);
    if (ranked.length === 0) break;
    const first = ranked[0]!;
    const chosen = first.held
      ? first
      : assignments.length === 0
        ? ranked.find((c) => c.held)
        : undefined;
    if (!chosen) return { assignments, waitFor: assignments.length === 0 ? first.id : null };
    const atMicros = startMicros + assignments.length;
    assignments.push({ conversationId: conversation.id, assigneeId: chosen.id, atMicros });
    chosen.load += 1;
    chosen.lastAssignedMicros = atMicros;
  }
  return { assignments, waitFor: null };
}
