import type { MaturityLevel, Role } from '@toonbank/shared';
import { decideResponse, isTrained } from './decide';
import { DEFAULT_POLICY_MATRIX, matrixProblems, type PolicyMatrix } from './matrix';

const NOW = new Date('2026-06-15T12:00:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 24 * 60 * 60 * 1000);

type Kind = Role | 'employee_trained' | 'employee_untrained';
const subjectOf = (kind: Kind) =>
  kind === 'employee_trained'
    ? { role: 'employee' as const, active: true, trainedAt: daysAgo(30) }
    : kind === 'employee_untrained'
      ? { role: 'employee' as const, active: true, trainedAt: null }
      : { role: kind, active: true, trainedAt: null };

// [kind, level, eligible, approval, template] — SPEC.md §2, cell by cell.
const CELLS: [Kind, MaturityLevel, boolean, boolean, boolean][] = [
  ['admin', 1, true, false, false],
  ['admin', 2, true, false, false],
  ['admin', 3, true, false, false],
  ['team_lead', 1, true, false, false],
  ['team_lead', 2, true, false, false],
  ['team_lead', 3, true, false, false],
  ['agent', 1, true, false, true],
  ['agent', 2, true, false, false],
  ['agent', 3, true, false, false],
  ['communications', 1, false, false, false],
  ['communications', 2, true, true, false],
  ['communications', 3, true, false, false],
  ['employee_trained', 1, false, false, false],
  ['employee_trained', 2, false, false, false],
  ['employee_trained', 3, true, true, false],
  ['employee_untrained', 1, false, false, false],
  ['employee_untrained', 2, false, false, false],
  ['employee_untrained', 3, false, false, false],
];

describe('decideResponse on the default matrix', () => {
  it.each(CELLS)(
    '%s at level %i: eligible=%s approval=%s template=%s',
    (kind, level, eligible, approval, template) => {
      expect(decideResponse(DEFAULT_POLICY_MATRIX, level, subjectOf(kind), NOW)).toEqual({
        eligible,
        approval,
        template,
      });
    },
  );

  it.each(CELLS)('%s at level %i is never eligible when deactivated', (kind, level) => {
    const decision = decideResponse(
      DEFAULT_POLICY_MATRIX,
      level,
      { ...subjectOf(kind), active: false },
      NOW,
    );
    expect(decision).toEqual({ eligible: false, approval: false, template: false });
  });
});

describe('the 365-day training window', () => {
  it.each([
    ['trained today', 0, true],
    ['a day inside the window', 364, true],
    ['on the last day', 365, true],
    ['a day outside the window', 366, false],
    ['two years ago', 730, false],
    ['a date in the future', -1, false],
  ])('%s (%i days ago) → trained=%s', (_label, days, trained) => {
    expect(isTrained(daysAgo(days), NOW)).toBe(trained);
    const decision = decideResponse(
      DEFAULT_POLICY_MATRIX,
      3,
      { role: 'employee', active: true, trainedAt: daysAgo(days) },
      NOW,
    );
    expect(decision.eligible).toBe(trained);
  });

  it('treats a missing training date as untrained', () => {
    expect(isTrained(null, NOW)).toBe(false);
  });

  it('ignores the training date for roles other than employee', () => {
    expect(
      decideResponse(
        DEFAULT_POLICY_MATRIX,
        1,
        { role: 'agent', active: true, trainedAt: daysAgo(900) },
        NOW,
      ).eligible,
    ).toBe(true);
  });
});

describe('matrixProblems (the safe limits)', () => {
  const clone = (): PolicyMatrix =>
    JSON.parse(JSON.stringify(DEFAULT_POLICY_MATRIX)) as PolicyMatrix;

  it('accepts the default matrix', () => {
    expect(matrixProblems(DEFAULT_POLICY_MATRIX)).toEqual([]);
  });

  it('refuses a matrix that lets untrained employees respond', () => {
    const matrix = clone();
    const untrained = matrix['3'].find((r) => r.role === 'employee' && r.trained === false)!;
    untrained.respond = true;
    expect(matrixProblems(matrix)).toEqual(['level 3: untrained employees may never respond']);
  });

  it('refuses a matrix with a missing or duplicated row', () => {
    const missing = clone();
    missing['2'] = missing['2'].filter((r) => r.role !== 'agent');
    expect(matrixProblems(missing)).toContain('level 2: needs exactly one row for agent');

    const duplicated = clone();
    duplicated['1'].push({ role: 'admin', respond: true, approval: false, template: false });
    expect(matrixProblems(duplicated)).toContain('level 1: needs exactly one row for admin');
  });

  it('refuses a matrix without a level', () => {
    const matrix = clone() as Partial<PolicyMatrix>;
    delete matrix['2'];
    expect(matrixProblems(matrix as PolicyMatrix)).toEqual(['level 2: missing']);
  });

  it('allows a stricter matrix, e.g. approval for agents at level 2', () => {
    const matrix = clone();
    matrix['2'].find((r) => r.role === 'agent')!.approval = true;
    expect(matrixProblems(matrix)).toEqual([]);
    expect(
      decideResponse(matrix, 2, { role: 'agent', active: true, trainedAt: null }, NOW),
    ).toEqual({
      eligible: true,
      approval: true,
      template: false,
    });
  });
});
