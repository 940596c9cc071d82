import type { Role } from '@toonbank/shared';
import { isLead } from './roles';

/**
 * "Only the assignee (and team leads and admins) act on a conversation": unassign, close,
 * reopen, label, spam, and reply. Whether the person is active and may respond at the current
 * maturity level is judged apart (the guard, eligibility), so that each refusal keeps its code.
 */
export function mayActOn(
  user: { id: string; role: Role },
  conversation: { assigneeId: string | null },
): boolean {
  return isLead(user.role) || conversation.assigneeId === user.id;
}
