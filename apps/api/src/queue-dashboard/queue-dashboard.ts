import { getQueueToken } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ModuleRef } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { PrincipalLoader } from '@toonbank/auth';
import { ApiError, cookieValue, type Environment, type Principal } from '@toonbank/platform';
import { roleHasPermission } from '@toonbank/policy';
import { Permission, QueueName } from '@toonbank/shared';
import type { Queue } from 'bullmq';
import type { NextFunction, Request, Response } from 'express';
import { DashboardTickets } from './dashboard-tickets';

/** Where Bull Board is served, and the path of the cookie that opens it. */
export const DASHBOARD_PATH = '/api/admin/queues';
export const DASHBOARD_COOKIE = 'toonbank_queue_dashboard';
/** What a caller needs besides being of the operator's organisation. */
export const DASHBOARD_PERMISSION = Permission.OrgManage;

/**
 * The admins' queue dashboard: Bull Board, read-only, at /api/admin/queues. It shows every
 * organisation's jobs, so it is served only when QUEUE_DASHBOARD_ORG names the operator's
 * organisation, and only to its admins. A browser cannot send the bearer token with a page
 * load: the web app asks POST /api/admin/queue-dashboard/session (bearer) for a ticket, which
 * arrives as an HttpOnly, SameSite=Strict cookie for this path only, lives ten minutes, and
 * is checked against a live session, the role and the organisation on every request.
 */
@Injectable()
export class QueueDashboard {
  readonly organisationSlug: string | undefined;
  readonly tickets: DashboardTickets;

  constructor(
    config: ConfigService<Environment, true>,
    private readonly principals: PrincipalLoader,
    private readonly moduleRef: ModuleRef,
  ) {
    this.organisationSlug = config.get('QUEUE_DASHBOARD_ORG', { infer: true });
    this.tickets = new DashboardTickets(config.get('JWT_SECRET', { infer: true }) as string);
  }

  /** May this principal open the dashboard? (The route's permission is checked by the guard.) */
  opensFor(principal: Principal): boolean {
    return (
      this.organisationSlug !== undefined &&
      principal.organisation.slug === this.organisationSlug &&
      roleHasPermission(principal.user.role, DASHBOARD_PERMISSION)
    );
  }

  /** Mounts Bull Board behind the ticket check; nothing at all when the dashboard is off. */
  mount(app: NestExpressApplication): void {
    if (!this.organisationSlug) return;
    const board = new ExpressAdapter();
    board.setBasePath(DASHBOARD_PATH);
    createBullBoard({
      queues: Object.values(QueueName).map(
        (name) =>
          new BullMQAdapter(this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }), {
            readOnlyMode: true,
          }),
      ),
      serverAdapter: board,
      options: { uiConfig: { boardTitle: 'Toonbank queues' } },
    });
    app.use(DASHBOARD_PATH, (request: Request, response: Response, next: NextFunction) => {
      this.admit(request, response).then(
        () => next(),
        (error: unknown) => {
          const refusal = error instanceof ApiError ? error : ApiError.unauthenticated();
          response.status(refusal.statusCode).json(refusal.toBody());
        },
      );
    });
    app.use(DASHBOARD_PATH, board.getRouter() as (req: Request, res: Response) => void);
  }

  private async admit(request: Request, response: Response): Promise<void> {
    response.setHeader('Cache-Control', 'no-store');
    // Read-only: Bull Board refuses actions on read-only queues; nothing but reading gets here.
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      throw ApiError.forbidden('The queue dashboard is read-only.');
    }
    const claims = this.tickets.verify(cookieValue(request.headers.cookie, DASHBOARD_COOKIE));
    const principal = claims ? await this.principals.load(claims) : null;
    if (!principal) {
      throw ApiError.unauthenticated(
        'Open the queue dashboard from the admin screen: its ticket is missing or expired.',
      );
    }
    if (!this.opensFor(principal)) throw ApiError.forbidden();
  }
}
