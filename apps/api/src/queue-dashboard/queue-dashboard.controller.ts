import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiError, CurrentPrincipal, RequirePermission, type Principal } from '@toonbank/platform';
import type { Request, Response } from 'express';
import { TICKET_TTL_SECONDS } from './dashboard-tickets';
import {
  DASHBOARD_COOKIE,
  DASHBOARD_PATH,
  DASHBOARD_PERMISSION,
  QueueDashboard,
} from './queue-dashboard';

@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/queue-dashboard')
export class QueueDashboardController {
  constructor(private readonly dashboard: QueueDashboard) {}

  /**
   * A ten-minute ticket for the queue dashboard as an HttpOnly cookie for its path; then the
   * browser opens `url`. 404 where the dashboard is off or not the caller's organisation's.
   */
  @Post('session')
  @HttpCode(200)
  @RequirePermission(DASHBOARD_PERMISSION)
  @ApiOkResponse({ description: '{ url, expiresAt }, and the cookie' })
  @ApiNotFoundResponse({ description: 'No queue dashboard for this organisation' })
  open(
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): { url: string; expiresAt: string } {
    if (!this.dashboard.opensFor(principal)) throw ApiError.notFound('The queue dashboard');
    const { ticket, expiresAt } = this.dashboard.tickets.issue({
      sub: principal.user.id,
      org: principal.organisation.id,
      sid: principal.sessionId,
    });
    response.cookie(DASHBOARD_COOKIE, ticket, {
      httpOnly: true,
      sameSite: 'strict',
      secure: request.secure,
      path: DASHBOARD_PATH,
      maxAge: TICKET_TTL_SECONDS * 1000,
    });
    response.setHeader('Cache-Control', 'no-store');
    return { url: `${DASHBOARD_PATH}/`, expiresAt: expiresAt.toISOString() };
  }
}
