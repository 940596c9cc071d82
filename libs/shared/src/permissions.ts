import type { Role } from './roles';

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
} as const;
export type Permission = (typeof Permission)[keyof typeof Permission];

const EVERYONE: readonly Permission[] = [
  Permission.SelfManage,
  Permission.OrgRead,
  Permission.PolicyRead,
  Permission.UserDirectory,
];
const LEAD: readonly Permission[] = [...EVERYONE, Permission.UserRead];
const ADMIN: readonly Permission[] = [
  ...LEAD,
  Permission.OrgManage,
  Permission.OrgMaturityChange,
  Permission.PolicyManage,
  Permission.UserManage,
  Permission.AuditRead,
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
