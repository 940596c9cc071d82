import type { MaturityLevel, Role } from '@toonbank/shared';
import { capabilitiesOf, isApprovalLifted, mayApprove } from './capabilities';
import { DEFAULT_POLICY_MATRIX } from './matrix';

const NOW = new Date('2026-06-15T12:00:00Z');
const subject = (role: Role, active = true) => ({
  role,
  active,
  trainedAt: role === 'employee' ? NOW : null,
});

describe('capabilitiesOf', () => {
  // [role, level, respond, approval, template, assign, approve, override, manage]
  it.each([
    ['admin', 1, true, false, false, true, true, true, true],
    ['team_lead', 1, true, false, false, true, true, true, false],
    ['agent', 1, true, false, true, false, false, false, false],
    ['agent', 2, true, false, false, false, false, false, false],
    ['communications', 1, false, false, false, false, false, false, false],
    ['communications', 2, true, true, false, false, false, false, false],
    ['communications', 3, true, false, false, false, false, false, false],
    ['employee', 2, false, false, false, false, false, false, false],
    ['employee', 3, true, true, false, false, false, false, false],
  ] as [Role, MaturityLevel, ...boolean[]][])(
    '%s at level %i',
    (role, level, respond, approval, template, assign, approve, override, manage) => {
      expect(capabilitiesOf(DEFAULT_POLICY_MATRIX, level, subject(role), NOW)).toEqual({
        respond,
        approval,
        template,
        assign,
        approve,
        override,
        manage,
      });
    },
  );

  it.each(['admin', 'team_lead', 'agent'] as Role[])('a deactivated %s may do nothing', (role) => {
    const capabilities = capabilitiesOf(DEFAULT_POLICY_MATRIX, 3, subject(role, false), NOW);
    expect(Object.values(capabilities).every((value) => value === false)).toBe(true);
  });
});

describe('the trust ladder', () => {
  it.each([
    [0, 20, false],
    [19, 20, false],
    [20, 20, true],
    [35, 20, true],
    [100, null, false],
    [1, 1, true],
  ] as [number, number | null, boolean][])(
    '%i approvals in a row, %s to lift → lifted=%s',
    (earned, toLift, lifted) => {
      const ladder = { approvalsEarned: earned, approvalsToLift: toLift };
      expect(isApprovalLifted(ladder)).toBe(lifted);
      // Communications at level 2 need approval until the ladder lifts it.
      expect(
        capabilitiesOf(DEFAULT_POLICY_MATRIX, 2, subject('communications'), NOW, ladder).approval,
      ).toBe(!lifted);
    },
  );

  it('never makes someone eligible who is not', () => {
    const ladder = { approvalsEarned: 50, approvalsToLift: 20 };
    expect(
      capabilitiesOf(DEFAULT_POLICY_MATRIX, 1, subject('communications'), NOW, ladder).respond,
    ).toBe(false);
  });
});

describe('the four-eyes rule', () => {
  const lead = { id: 'lead', ...subject('team_lead') };
  it.each([
    ['a team lead approves someone else’s reply', lead, 'author', true],
    ['a team lead never approves their own', lead, 'lead', false],
    [
      'an admin approves someone else’s reply',
      { id: 'admin', ...subject('admin') },
      'author',
      true,
    ],
    ['an agent never approves', { id: 'agent', ...subject('agent') }, 'author', false],
    [
      'a deactivated team lead never approves',
      { id: 'lead', ...subject('team_lead', false) },
      'author',
      false,
    ],
  ] as const)('%s', (_label, approver, authorId, allowed) => {
    expect(mayApprove(approver, authorId)).toBe(allowed);
  });
});
