import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Permission } from '@toonbank/shared';
import type { AuthenticatedRequest, Principal } from './principal';

export const PUBLIC_ROUTE = 'toonbank:public';
export const REQUIRED_PERMISSION = 'toonbank:permission';

/** No sign-in needed (login, refresh, health, webhooks). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** The permission the caller's role must hold. Every handler declares this or @Public(). */
export const RequirePermission = (permission: Permission) =>
  SetMetadata(REQUIRED_PERMISSION, permission);

/** The signed-in caller, as the guard loaded it. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().principal,
);
