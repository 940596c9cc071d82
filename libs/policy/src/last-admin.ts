import type { Role } from '@toonbank/shared';

/** What the last-admin rule needs to know of a user, before and after a change. */
export interface AdminStanding {
  role: Role;
  active: boolean;
}

export const isActiveAdmin = (user: AdminStanding): boolean => user.role === 'admin' && user.active;

/**
 * An organisation always keeps at least one active admin, so nobody can lock everyone out:
 * does this change (of role or active flag) take away the last one? `activeAdmins` counts the
 * organisation's active admins before the change, the changed user included.
 */
export function leavesNoActiveAdmin(
  before: AdminStanding,
  after: AdminStanding,
  activeAdmins: number,
): boolean {
  return isActiveAdmin(before) && !isActiveAdmin(after) && activeAdmins <= 1;
}
