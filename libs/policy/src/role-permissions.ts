import { Permission, type Role } from '@toonbank/shared';
import { isLead } from './roles';

const EVERYONE: readonly Permission[] = [
  Permission.SelfManage,
  Permission.OrgRead,
  Permission.PolicyRead,
  Permission.UserDirectory,
  Permission.ConversationRead,
  Permission.ConversationClaim,
  Permission.ConversationAct,
  Permission.ConversationNote,
  Permission.ToneRead,
  Permission.ToneCheck,
  Permission.TemplateRead,
  Permission.ReplyWrite,
  Permission.ReplyRead,
];
const LEAD: readonly Permission[] = [
  ...EVERYONE,
  Permission.UserRead,
  Permission.ConversationAssign,
  Permission.ChannelRead,
  Permission.TemplateManage,
  Permission.ReplyApprove,
  Permission.ReplyRetry,
  Permission.ReportRead,
];
const ADMIN: readonly Permission[] = [
  ...LEAD,
  Permission.OrgManage,
  Permission.OrgMaturityChange,
  Permission.PolicyManage,
  Permission.UserManage,
  Permission.AuditRead,
  Permission.ChannelManage,
  Permission.ToneManage,
  Permission.CustomerErase,
];

/** The role table: which `Permission` each role holds (the guard's first question). */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  admin: ADMIN,
  team_lead: LEAD,
  agent: EVERYONE,
  communications: EVERYONE,
  employee: EVERYONE,
};

export const roleHasPermission = (role: Role, permission: Permission): boolean =>
  ROLE_PERMISSIONS[role].includes(permission);

/**
 * Permissions that a role holds only while the person may respond at the current maturity
 * level (SPEC.md §2): `everyone` — nobody may use them while ineligible; `staff` — team
 * leads and admins keep them whatever the level (they read every conversation and act on
 * it), everyone else must be eligible. Refused with 403 `policy.not_eligible`.
 */
export const ELIGIBILITY_GATE: Readonly<Partial<Record<Permission, 'everyone' | 'staff'>>> = {
  [Permission.ConversationRead]: 'staff',
  [Permission.ConversationAct]: 'staff',
  [Permission.ConversationNote]: 'staff',
  [Permission.ConversationClaim]: 'everyone',
  [Permission.ToneCheck]: 'staff',
  [Permission.ReplyRead]: 'staff',
  [Permission.ReplyWrite]: 'everyone',
};

export type RouteAccess = 'allowed' | 'forbidden' | 'not_eligible';

/** May this role, eligible or not right now, call a route that requires `permission`? */
export function routeAccess(role: Role, permission: Permission, eligible: boolean): RouteAccess {
  if (!roleHasPermission(role, permission)) return 'forbidden';
  const gate = ELIGIBILITY_GATE[permission];
  if (!gate || eligible) return 'allowed';
  if (gate === 'staff' && isLead(role)) return 'allowed';
  return 'not_eligible';
}
