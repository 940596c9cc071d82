import { LEAD_ROLES, type Role } from './roles';

/**
 * What a route may require of its caller's role (`resource.action`). The API's guard
 * and the web app (to hide what a user cannot do) read the same table.
 */
export const Permission = {
  /** One's own session, profile, password and availability. */
  SelfManage: 'self.manage',
  OrgRead: 'org.read',
  OrgManage: 'org.manage',
  OrgMaturityChange: 'org.maturity.change',
  PolicyRead: 'policy.read',
  PolicyManage: 'policy.manage',
  /** The short directory form of colleagues (names for @mentions and the inbox). */
  UserDirectory: 'user.directory',
  /** Full user records, the eligible list. */
  UserRead: 'user.read',
  UserManage: 'user.manage',
  AuditRead: 'audit.read',
  /** The reports: response times, volumes, SLA per agent, maturity history (and their CSV). */
  ReportRead: 'report.read',
  /** Read the inbox: conversations and their messages. */
  ConversationRead: 'conversation.read',
  /** Take an unassigned conversation oneself. */
  ConversationClaim: 'conversation.claim',
  /** Act on a conversation one holds: unassign, close, reopen, label. */
  ConversationAct: 'conversation.act',
  /** Write an internal note on any conversation one may read (colleagues help without holding it). */
  ConversationNote: 'conversation.note',
  /** Assign, reassign and act in bulk: the team lead's board. */
  ConversationAssign: 'conversation.assign',
  /** See the channel accounts and their health. */
  ChannelRead: 'channel.read',
  /** Connect, change, pause, poll and remove channel accounts. */
  ChannelManage: 'channel.manage',
  /** The tone profile (the composer needs it). */
  ToneRead: 'tone.read',
  ToneManage: 'tone.manage',
  /** Check a text against the tone profile. */
  ToneCheck: 'tone.check',
  TemplateRead: 'template.read',
  /** Create, change and delete templates. */
  TemplateManage: 'template.manage',
  /** Write a reply on a conversation one holds (team leads and admins on any). */
  ReplyWrite: 'reply.write',
  /** Read replies (of the conversations one may read). */
  ReplyRead: 'reply.read',
  /** The approval queue: approve or reject other people's replies. */
  ReplyApprove: 'reply.approve',
  /** Erase a customer's texts, names and raw payloads on a channel (right to erasure). */
  CustomerErase: 'customer.erase',
} as const;
export type Permission = (typeof Permission)[keyof typeof Permission];

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
  if (gate === 'staff' && LEAD_ROLES.includes(role)) return 'allowed';
  return 'not_eligible';
}
