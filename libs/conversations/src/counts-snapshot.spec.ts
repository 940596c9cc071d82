import type { Role } from '@toonbank/shared';
import {
  capped,
  countsFor,
  isNews,
  parseSnapshot,
  parseTold,
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

describe('isNews: whether a user hears a count, given what they were last sent', () => {
  const sent = {
    mine: 3,
    unassigned: 12,
    waiting: 2,
    closed: 1000,
    computedAt: '2026-12-07T10:00:00.000Z',
  };
  const later = '2026-12-07T10:00:05.000Z';
  it.each<[string, typeof sent | null, Partial<typeof sent>, boolean]>([
    // [case, what was sent (null: nothing), the new count's difference, hears]
    ['nothing sent yet', null, {}, true],
    ['nothing changed but the time', sent, { computedAt: later }, false],
    ['one more unassigned', sent, { unassigned: 13, computedAt: later }, true],
    ['one more closed (still capped)', sent, { closed: 1000, computedAt: later }, false],
    ['one less mine', sent, { mine: 2, computedAt: later }, true],
    ['another Waiting tab (a new role)', sent, { waiting: 9, computedAt: later }, true],
    [
      'an older count that finished late',
      sent,
      { unassigned: 11, computedAt: '2026-12-07T09:59:59.999Z' },
      false,
    ],
    ['the same count again', sent, { unassigned: 11 }, false],
  ])('%s', (_case, told, difference, hears) => {
    expect(isNews(told, { ...sent, ...difference })).toBe(hears);
  });
});

describe('parseTold', () => {
  it.each<[string | null | undefined, boolean]>([
    [
      '{"mine":1,"unassigned":2,"waiting":3,"closed":4,"computedAt":"2026-12-07T10:00:00.000Z"}',
      true,
    ],
    [undefined, false],
    [null, false],
    ['not json', false],
    ['{"mine":1,"unassigned":2,"waiting":3,"computedAt":"x"}', false],
    ['{"mine":1,"unassigned":2,"waiting":3,"closed":4}', false],
  ])('%p → what was sent: %p', (text, ok) => {
    expect(parseTold(text) !== null).toBe(ok);
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
