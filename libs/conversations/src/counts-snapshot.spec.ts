import type { Role } from '@toonbank/shared';
import {
  capped,
  countsChanged,
  countsFor,
  parseSnapshot,
  type CountsSnapshot,
} from './counts-snapshot';

const ANNA = 'a0000000-0000-4000-8000-000000000001';
const BOB = 'b0000000-0000-4000-8000-000000000002';

const snapshot: CountsSnapshot = {
  computedAt: '2026-12-07T10:00:00.000Z',
  unassigned: 12,
  waiting: 9,
  closed: 1000,
  assignees: { [ANNA]: [3, 2], [BOB]: [0, 7] },
};

describe('countsFor: the tabs of the web app, per user', () => {
  it.each<[string, string, Role, [number, number, number, number]]>([
    // [who, id, role, [mine, unassigned, waiting, closed]]
    ['an agent with work', ANNA, 'agent', [3, 12, 2, 1000]],
    ['an agent with waiting work only', BOB, 'agent', [0, 12, 7, 1000]],
    ['a communications officer without work', 'c-0', 'communications', [0, 12, 0, 1000]],
    ['an employee with work', ANNA, 'employee', [3, 12, 2, 1000]],
    ['a team lead: every waiting one', ANNA, 'team_lead', [3, 12, 9, 1000]],
    ['an admin without work: every waiting one', 'd-0', 'admin', [0, 12, 9, 1000]],
  ])('%s', (_who, id, role, [mine, unassigned, waiting, closed]) => {
    expect(countsFor(snapshot, { id, role })).toEqual({
      mine,
      unassigned,
      waiting,
      closed,
      computedAt: snapshot.computedAt,
    });
  });
});

describe('capped: 0..1000, 1000 meaning "more than 999"', () => {
  it.each([
    [0, 0],
    [1, 1],
    [999, 999],
    [1000, 1000],
    [1001, 1000],
    [25_000, 1000],
    [-1, 0],
  ])('%d → %d', (count, expected) => {
    expect(capped(count)).toBe(expected);
  });
});

describe('countsChanged: who hears of a new snapshot', () => {
  const anna = { id: ANNA, role: 'agent' as Role };
  const lead = { id: 'l-0', role: 'team_lead' as Role };
  it.each<[string, Partial<CountsSnapshot> | null, boolean, boolean]>([
    // [change, before (null: never announced), anna hears, the lead hears]
    ['nothing announced yet', null, true, true],
    ['nothing changed but the time', { computedAt: 'earlier' }, false, false],
    ['one more unassigned', { unassigned: 11 }, true, true],
    ['one more closed', { closed: 999 }, true, true],
    [
      'another agent waits on one more',
      { waiting: 8, assignees: { [ANNA]: [3, 2], [BOB]: [0, 6] } },
      false,
      true,
    ],
    ['anna got one more', { assignees: { [ANNA]: [2, 2], [BOB]: [0, 7] } }, true, false],
  ])('%s', (_change, before, annaHears, leadHears) => {
    const previous = before === null ? null : { ...snapshot, ...before };
    expect(countsChanged(previous, snapshot, anna)).toBe(annaHears);
    expect(countsChanged(previous, snapshot, lead)).toBe(leadHears);
  });
});

describe('parseSnapshot', () => {
  it.each<[string | null, boolean]>([
    [JSON.stringify(snapshot), true],
    [null, false],
    ['', false],
    ['not json', false],
    ['{"computedAt":"x","unassigned":1,"waiting":1}', false],
    ['{"computedAt":"x","unassigned":1,"waiting":1,"closed":1,"assignees":null}', false],
  ])('%p → a snapshot: %p', (text, ok) => {
    expect(parseSnapshot(text) !== null).toBe(ok);
  });
});
