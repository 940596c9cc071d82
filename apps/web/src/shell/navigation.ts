import { roleHasPermission } from '@toonbank/policy';
import { Permission, type Role } from '@toonbank/shared';

export type Screen = 'inbox' | 'board' | 'me' | 'reports' | 'admin';

export interface NavItem {
  screen: Screen;
  path: string;
  /** Needed to see the item and open the screen; none: everyone signed in. */
  permission?: Permission;
}

/**
 * The screens of the shell, each behind the permission its main work needs: approving
 * replies (and assigning) for the board, reading reports, managing the organisation
 * for admin.
 */
export const NAV_ITEMS: readonly NavItem[] = [
  { screen: 'inbox', path: '/inbox' },
  { screen: 'board', path: '/board', permission: Permission.ReplyApprove },
  { screen: 'me', path: '/me' },
  { screen: 'reports', path: '/reports', permission: Permission.ReportRead },
  { screen: 'admin', path: '/admin', permission: Permission.OrgManage },
];

export const canOpen = (role: Role, item: Pick<NavItem, 'permission'>): boolean =>
  item.permission === undefined || roleHasPermission(role, item.permission);
