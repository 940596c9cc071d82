import { Permission, roleHasPermission, type Role } from '@toonbank/shared';

export type Screen = 'inbox' | 'board' | 'reports' | 'admin';

export interface NavItem {
  screen: Screen;
  path: string;
  /** Needed to see the item and open the screen; none: everyone signed in. */
  permission?: Permission;
}

/**
 * The screens of the shell. The permissions are the closest ones libs/shared has today:
 * `user.read` is what team leads and admins hold beyond everyone, `org.manage` is the
 * admin's. Switch to dedicated permissions (board, reports) once libs/shared has them.
 */
export const NAV_ITEMS: readonly NavItem[] = [
  { screen: 'inbox', path: '/inbox' },
  { screen: 'board', path: '/board', permission: Permission.UserRead },
  { screen: 'reports', path: '/reports', permission: Permission.UserRead },
  { screen: 'admin', path: '/admin', permission: Permission.OrgManage },
];

export const canOpen = (role: Role, item: Pick<NavItem, 'permission'>): boolean =>
  item.permission === undefined || roleHasPermission(role, item.permission);
