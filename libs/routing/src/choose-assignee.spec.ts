import {
  chooseAssignee,
  planBatch,
  type BatchCandidate,
  type RoutingCandidate,
} from './choose-assignee';

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

describe('planBatch', () => {
  const person = (
    id: string,
    load: number,
    lastAssignedMicros: number | null,
    { held = true, languages = ['nl'], capacity = 10 } = {},
  ): BatchCandidate => ({
    id,
    load,
    capacity,
    languages,
    lastAssignedAt: null,
    lastAssignedMicros,
    held,
  });
  const queue = (...languages: (string | null)[]) =>
    languages.map((language, i) => ({ id: `c${i + 1}`, language }));
  const givenTo = (plan: ReturnType<typeof planBatch>) =>
    plan.assignments.map((a) => a.assigneeId).join('');

  it('routes one after the other, each assignment counted in the load of whoever got it', () => {
    const plan = planBatch(
      [person('a', 2, 1), person('b', 0, 2), person('c', 1, 3)],
      'least_loaded',
      queue(null, null, null, null, null),
      1000,
    );
    // b 0→1; b and c at 1: c (its turn was earlier); b; all at 2: a (the earliest turn); then
    // b and c at 2, c's turn in this batch earlier than b's: c.
    expect(givenTo(plan)).toBe('bcbac');
    expect(plan.assignments.map((a) => a.atMicros)).toEqual([1000, 1001, 1002, 1003, 1004]);
    expect(plan.waitFor).toBeNull();
  });

  it('round_robin: the turns given in the batch count, a microsecond apart', () => {
    const plan = planBatch(
      [person('a', 0, null), person('b', 5, null), person('c', 0, 7)],
      'round_robin',
      queue(null, null, null, null, null),
      1000,
    );
    expect(givenTo(plan)).toBe('abcab');
  });

  it('stops where nobody has room', () => {
    const plan = planBatch(
      [person('a', 9, null), person('b', 8, 1, { capacity: 9 })],
      'least_loaded',
      queue(null, null, null),
      1000,
    );
    // b (8 of 9), then a (9 of 10): the third waits in the queue.
    expect(givenTo(plan)).toBe('ba');
    expect(plan.waitFor).toBeNull();
  });

  it('language first, per conversation', () => {
    const plan = planBatch(
      [person('a', 0, null), person('e', 3, null, { languages: ['en'], capacity: 4 })],
      'least_loaded',
      queue('en', 'en', null),
      1000,
    );
    // e speaks English and has room for one; then a takes the second English one.
    expect(givenTo(plan)).toBe('eaa');
  });

  it('the first conversation passes over whoever it does not hold; the batch stops where they would be chosen', () => {
    const plan = planBatch(
      [person('a', 0, null, { held: false }), person('b', 0, 5), person('c', 0, 6)],
      'least_loaded',
      queue(null, null, null, null),
      1000,
    );
    // a (not held) would be first each time: b once, as it would be next in line, then stop.
    expect(givenTo(plan)).toBe('b');
    expect(plan.waitFor).toBeNull();

    const after = planBatch(
      [person('a', 3, null, { held: false }), person('b', 0, 5), person('c', 0, 6)],
      'least_loaded',
      queue(null, null, null, null, null, null, null, null),
      1000,
    );
    // b and c fill up to a's load, then a would be the choice.
    expect(givenTo(after)).toBe('bcbcbc');
  });

  it('names whom to wait for when nobody held can take the first conversation', () => {
    const plan = planBatch(
      [person('a', 0, null), person('e', 0, null, { held: false, languages: ['en'] })],
      'least_loaded',
      queue('en', null),
      1000,
    );
    expect(plan).toEqual({ assignments: [], waitFor: 'e' });
  });

  it('leaves the candidates given as they were', () => {
    const people = [person('a', 0, null)];
    planBatch(people, 'least_loaded', queue(null, null), 1000);
    expect(people[0]).toMatchObject({ load: 0, lastAssignedMicros: null });
  });
});
