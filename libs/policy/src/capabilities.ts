import type { MaturityLevel } from '@toonbank/shared';
import { decideResponse, type PolicySubject } from './decide';
import type { PolicyMatrix } from './matrix';
import { isLead } from './roles';
import { mayOverrideTone } from './tone-override';

/** SPEC.md §2: approved replies in a row that lift a person's approval requirement. */
export interface TrustLadder {
  approvalsEarned: number;
  /** The organisation's setting; null = the ladder is off. */
  approvalsToLift: number | null;
}

export const isApprovalLifted = (ladder: TrustLadder): boolean =>
  ladder.approvalsToLift !== null && ladder.approvalsEarned >= ladder.approvalsToLift;

/** Everything the policy says one person may do right now. */
export interface Capabilities {
  /** May be assigned, claim and write replies. */
  respond: boolean;
  /** Each reply waits for a team lead or admin (after the trust ladder). */
  approval: boolean;
  /** Replies must come from a template. */
  template: boolean;
  /** Assign, reassign and unassign other people's conversations. */
  assign: boolean;
  /** Approve or reject other people's replies. */
  approve: boolean;
  /** Send despite tone errors, with a reason. */
  override: boolean;
  /** Organisation settings, maturity, policy, users, channels, tone. */
  manage: boolean;
}

export function capabilitiesOf(
  matrix: PolicyMatrix,
  level: MaturityLevel,
  subject: PolicySubject,
  now: Date,
  ladder: TrustLadder = { approvalsEarned: 0, approvalsToLift: null },
): Capabilities {
  const response = decideResponse(matrix, level, subject, now);
  const lead = subject.active && isLead(subject.role);
  return {
    respond: response.eligible,
    approval: response.approval && !isApprovalLifted(ladder),
    template: response.template,
    assign: lead,
    approve: lead,
    override: subject.active && mayOverrideTone(subject),
    manage: subject.active && subject.role === 'admin',
  };
}

/** The four-eyes rule: a team lead or admin approves, and never their own reply. */
export function mayApprove(approver: PolicySubject & { id: string }, authorId: string): boolean {
  return approver.active && isLead(approver.role) && approver.id !== authorId;
}
