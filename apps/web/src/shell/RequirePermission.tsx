import { roleHasPermission } from '@toonbank/policy';
import type { Permission } from '@toonbank/shared';
import type { ReactNode } from 'react';
import { useMe } from '../api/queries';
import { ForbiddenPage } from '../pages/ForbiddenPage';

/** Hides a screen from roles without `permission` (the API refuses them anyway). */
export function RequirePermission({
  permission,
  children,
}: {
  permission: Permission;
  children: ReactNode;
}) {
  const me = useMe();
  if (!me.data) return null;
  if (!roleHasPermission(me.data.role, permission)) return <ForbiddenPage />;
  return <>{children}</>;
}
