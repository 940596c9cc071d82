import { Permission, type MaturityLevel } from '@toonbank/shared';
import { decideResponse, type PolicySubject } from './decide';
import { DEFAULT_POLICY_MATRIX, type PolicyMatrix } from './matrix';
import { routeAccess } from './role-permissions';

/** What the policy needs to know of an organisation. */
export interface PolicyOrganisation {
  maturityLevel: MaturityLevel;
  /** The organisation's own matrix; null = the default of SPEC.md §2. */
  policyMatrix: PolicyMatrix | null;
}

export const matrixOf = (organisation: PolicyOrganisation): PolicyMatrix =>
  organisation.policyMatrix ?? DEFAULT_POLICY_MATRIX;

/** Eligible = may respond at the organisation's current level, active, and (employees) trained. */
export function isEligible(
  subject: PolicySubject,
  organisation: PolicyOrganisation,
  now = new Date(),
): boolean {
  return decideResponse(matrixOf(organisation), organisation.maturityLevel, subject, now).eligible;
}

/** May read the inbox: team leads and admins always (while active), everyone else while eligible. */
export function readsInbox(
  subject: PolicySubject,
  organisation: PolicyOrganisation,
  now = new Date(),
): boolean {
  return (
    subject.active &&
    routeAccess(
      subject.role,
      Permission.ConversationRead,
      isEligible(subject, organisation, now),
    ) === 'allowed'
  );
}
