import { DEFAULT_POLICY_MATRIX, type PolicyMatrix } from '@toonbank/policy';
import { ErrorCode, MATURITY_LEVELS, type MaturityLevel } from '@toonbank/shared';
import { ApiError } from '../api/ApiError';
import { levelNowOf, roleShifts, rowOf, type RoleChange } from './maturity';

const NOW = new Date('2026-12-07T12:00:00Z');
/** The rows of the matrix, in its order: admin, team lead, agent, comms, employee trained/untrained. */
const ROWS = ['admin', 'team_lead', 'agent', 'communications', 'trained', 'untrained'] as const;
type Row = (typeof ROWS)[number];

const shiftsOf = (matrix: PolicyMatrix, from: MaturityLevel, to: MaturityLevel) =>
  Object.fromEntries(
    roleShifts(matrix, from, to, NOW).map((shift) => [
      shift.trained === undefined ? shift.role : shift.trained ? 'trained' : 'untrained',
      shift.changes,
    ]),
  ) as Record<Row, RoleChange[]>;

const none: Record<Row, RoleChange[]> = Object.fromEntries(ROWS.map((r) => [r, []])) as never;

/** SPEC.md §2's default matrix: what each change of level changes, role by role. */
const DEFAULT_SHIFTS: [MaturityLevel, MaturityLevel, Partial<Record<Row, RoleChange[]>>][] = [
  [1, 2, { agent: ['freeText'], communications: ['respondGained', 'freeText', 'approvalAdded'] }],
  [
    1,
    3,
    {
      agent: ['freeText'],
      communications: ['respondGained', 'freeText'],
      trained: ['respondGained', 'freeText', 'approvalAdded'],
    },
  ],
  [2, 1, { agent: ['templatesOnly'], communications: ['respondLost'] }],
  [
    2,
    3,
    {
      communications: ['approvalLifted'],
      trained: ['respondGained', 'freeText', 'approvalAdded'],
    },
  ],
  [3, 1, { agent: ['templatesOnly'], communications: ['respondLost'], trained: ['respondLost'] }],
  [3, 2, { communications: ['approvalAdded'], trained: ['respondLost'] }],
  [1, 1, {}],
  [2, 2, {}],
  [3, 3, {}],
];

describe('roleShifts: what a change of level changes per role', () => {
  it('covers every pair of levels', () => {
    const pairs = DEFAULT_SHIFTS.map(([from, to]) => `${from}${to}`).sort();
    expect(pairs).toEqual(MATURITY_LEVELS.flatMap((a) => MATURITY_LEVELS.map((b) => `${a}${b}`)));
  });

  it.each(DEFAULT_SHIFTS)('default matrix, level %i → %i', (from, to, expected) => {
    expect(shiftsOf(DEFAULT_POLICY_MATRIX, from, to)).toEqual({ ...none, ...expected });
  });

  it.each(DEFAULT_SHIFTS)('going %i → %i and back are mirror images', (from, to) => {
    const mirror: Partial<Record<RoleChange, RoleChange>> = {
      respondGained: 'respondLost',
      approvalAdded: 'approvalLifted',
      approvalLifted: 'approvalAdded',
      templatesOnly: 'freeText',
      freeText: 'templatesOnly',
    };
    const there = shiftsOf(DEFAULT_POLICY_MATRIX, from, to);
    const back = shiftsOf(DEFAULT_POLICY_MATRIX, to, from);
    for (const row of ROWS) {
      // Who gains says how they may respond; who loses only loses.
      if (there[row][0] === 'respondGained')
        expect([row, back[row]]).toEqual([row, ['respondLost']]);
      else if (there[row][0] === 'respondLost')
        expect([row, back[row][0]]).toEqual([row, 'respondGained']);
      else expect([row, back[row]]).toEqual([row, there[row].map((c) => mirror[c])]);
    }
  });

  it('follows the organisation’s own matrix, not a copy of the default', () => {
    const own = JSON.parse(JSON.stringify(DEFAULT_POLICY_MATRIX)) as PolicyMatrix;
    // This organisation lets agents write freely from level 1, but with approval.
    own['1'] = own['1'].map((rule) =>
      rule.role === 'agent' ? { ...rule, template: false, approval: true } : rule,
    );
    expect(shiftsOf(own, 1, 2)).toEqual({
      ...none,
      agent: ['approvalLifted'],
      communications: ['respondGained', 'freeText', 'approvalAdded'],
    });
    expect(shiftsOf(own, 2, 1)).toEqual({
      ...none,
      agent: ['approvalAdded'],
      communications: ['respondLost'],
    });
  });

  it('gives the decisions before and after, as the server decides them', () => {
    const comms = roleShifts(DEFAULT_POLICY_MATRIX, 1, 2, NOW).find(
      (s) => s.role === 'communications',
    );
    expect(comms).toMatchObject({
      before: { eligible: false, approval: false, template: false },
      after: { eligible: true, approval: true, template: false },
    });
  });
});

describe('rowOf: the row of the policy a person belongs to', () => {
  it.each([
    ['agent', null, { role: 'agent' }],
    ['employee', '2026-06-01T00:00:00Z', { role: 'employee', trained: true }],
    ['employee', '2025-06-01T00:00:00Z', { role: 'employee', trained: false }],
    ['employee', null, { role: 'employee', trained: false }],
  ] as const)('%s trained at %s', (role, trainedAt, row) => {
    expect(rowOf({ role, trainedAt }, NOW)).toEqual(row);
  });
});

describe('levelNowOf: the level a refused change reports', () => {
  const refusal = (statusCode: number, details?: Record<string, unknown>) =>
    new ApiError({ statusCode, code: ErrorCode.Conflict, message: 'changed', details });
  it.each([
    [refusal(409, { maturityLevel: 2 }), 2],
    [refusal(409, { maturityLevel: 3 }), 3],
    [refusal(409), null],
    [refusal(409, { maturityLevel: 7 }), null],
    [refusal(400, { maturityLevel: 2 }), null],
    [new Error('offline'), null],
    [null, null],
  ])('%#', (error, level) => {
    expect(levelNowOf(error)).toBe(level);
  });
});
