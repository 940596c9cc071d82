import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  ApiError,
  PUBLIC_ROUTE,
  REQUIRED_PERMISSION,
  type AuthenticatedRequest,
} from '@toonbank/platform';
import { isEligible, routeAccess } from '@toonbank/policy';
import type { Permission } from '@toonbank/shared';
import type { Request } from 'express';
import { AccessTokens } from './access-tokens';
import { PrincipalLoader } from './principal-loader';

export const bearerToken = (header: string | undefined): string | null => {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1] ?? null;
};

/**
 * The one guard of the API: 401 (who are you) before 403 (may your role call this route,
 * and, for the permissions that need it, may you respond at the current maturity level).
 * A handler that declares neither @Public() nor @RequirePermission() is refused to everyone.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AccessTokens,
    private readonly principals: PrincipalLoader,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;

    const request = context.switchToHttp().getRequest<Request & Partial<AuthenticatedRequest>>();
    const token = bearerToken(request.headers.authorization);
    const claims = token ? await this.tokens.verify(token) : null;
    const principal = claims ? await this.principals.load(claims) : null;
    if (!principal) throw ApiError.unauthenticated();

    const permission = this.reflector.getAllAndOverride<Permission | undefined>(
      REQUIRED_PERMISSION,
      targets,
    );
    if (!permission) throw ApiError.forbidden('This route declares no permission and is closed.');
    const access = routeAccess(
      principal.user.role,
      permission,
      isEligible(principal.user, principal.organisation),
    );
    if (access === 'forbidden') throw ApiError.forbidden();
    if (access === 'not_eligible') throw ApiError.notEligible();

    request.principal = principal;
    return true;
  }
}
