import { chooseAssignee, type RoutingCandidate } from './choose-assignee';

const at = (minute: number | null) =>
  minute === null ? null : new Date(Date.UTC(2026, 0, 1, 9, minute));
const candidate = (
  id: string,
  load: number,
  lastAssignedMinute: number | null,
  languages: string[] = ['nl'],
  capacity = 10,
): RoutingCandidate => ({ id, load, capacity, languages, lastAssignedAt: at(lastAssignedMinute) });

describe('chooseAssignee', () => {
  // [label, candidates, strategy, language, chosen id]
  it.each([
    [
      'least_loaded: the fewest open conversations',
      [candidate('a', 3, 1), candidate('b', 1, 2), candidate('c', 2, 0)],
      'least_loaded',
      null,
      'b',
    ],
    [
      'least_loaded: a tie goes to the least recently assigned',
      [candidate('a', 1, 5), candidate('b', 1, 2)],
      'least_loaded',
      null,
      'b',
    ],
    [
      'least_loaded: never assigned counts as least recently',
      [candidate('a', 1, 0), candidate('b', 1, null)],
      'least_loaded',
      null,
      'b',
    ],
    [
      'least_loaded: then by id',
      [candidate('b', 1, null), candidate('a', 1, null)],
      'least_loaded',
      null,
      'a',
    ],
    [
      'round_robin: the least recently assigned, whatever the load',
      [candidate('a', 0, 5), candidate('b', 7, 2)],
      'round_robin',
      null,
      'b',
    ],
    [
      'round_robin: then by id',
      [candidate('b', 0, 3), candidate('a', 9, 3)],
      'round_robin',
      null,
      'a',
    ],
    [
      'nobody at capacity is chosen',
      [candidate('a', 10, null), candidate('b', 9, 30)],
      'least_loaded',
      null,
      'b',
    ],
    [
      'capacity counts for round robin too',
      [candidate('a', 2, null, ['nl'], 2), candidate('b', 5, 30)],
      'round_robin',
      null,
      'b',
    ],
    [
      'a capacity of 0 is never routed to',
      [candidate('a', 0, null, ['nl'], 0)],
      'least_loaded',
      null,
      null,
    ],
    [
      'language first: a speaker with room wins over a lighter load',
      [candidate('a', 0, null, ['nl']), candidate('b', 4, 9, ['en'])],
      'least_loaded',
      'en',
      'b',
    ],
    [
      'language first, then the strategy among the speakers',
      [
        candidate('a', 2, 1, ['en']),
        candidate('b', 1, 5, ['en', 'nl']),
        candidate('c', 0, 0, ['nl']),
      ],
      'least_loaded',
      'en',
      'b',
    ],
    [
      'language: when no speaker has room, anyone with room',
      [candidate('a', 10, null, ['en']), candidate('b', 3, null, ['nl'])],
      'least_loaded',
      'en',
      'b',
    ],
    [
      'language unknown: everyone',
      [candidate('a', 2, null, ['en']), candidate('b', 1, null, [])],
      'least_loaded',
      null,
      'b',
    ],
    ['manual never chooses', [candidate('a', 0, null)], 'manual', null, null],
    ['nobody there', [], 'least_loaded', 'nl', null],
  ] as const)('%s', (_label, candidates, strategy, language, chosen) => {
    expect(chooseAssignee(candidates, strategy, language)?.id ?? null).toBe(chosen);
  });

  it('does not reorder the caller’s list', () => {
    const list = [candidate('b', 3, 1), candidate('a', 1, 2)];
    chooseAssignee(list, 'least_loaded', null);
    expect(list.map((c) => c.id)).toEqual(['b', 'a']);
  });
});
