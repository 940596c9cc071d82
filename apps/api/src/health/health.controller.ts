import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import {
  HealthCheckService,
  TypeOrmHealthIndicator,
  type HealthCheckResult,
} from '@nestjs/terminus';
import { Public, ShutdownState } from '@toonbank/platform';
import type { HealthDto } from '@toonbank/shared';
import type { Response } from 'express';
import { RedisHealthIndicator } from './redis-health.indicator';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly shutdown: ShutdownState,
  ) {}

  /** 200 when PostgreSQL and Redis both answer, else 503 naming the part that is down. */
  @Get()
  @Public()
  @ApiOkResponse({ description: '{ status: "ok", db: "up", redis: "up" }' })
  @ApiServiceUnavailableResponse({ description: 'The failing part is "down"' })
  async check(@Res({ passthrough: true }) response: Response): Promise<HealthDto> {
    const result = await this.health
      .check([() => this.db.pingCheck('db', { timeout: 1500 }), () => this.redis.check('redis')])
      .catch((error: { response?: HealthCheckResult }) => error.response);
    const state = (key: string) => (result?.details?.[key]?.status === 'up' ? 'up' : 'down');
    const body: HealthDto = {
      status: result?.status === 'ok' ? 'ok' : 'error',
      db: state('db'),
      redis: state('redis'),
    };
    if (body.status !== 'ok') response.status(HttpStatus.SERVICE_UNAVAILABLE);
    return body;
  }

  /** Liveness: the process is up and its event loop answers (nothing else is asked). */
  @Get('live')
  @Public()
  @ApiOkResponse({ description: '{ status: "ok" }' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * Readiness: may this process be sent work? 503 `stopping` from the moment it was asked to
   * stop (while it finishes what it holds), else as GET /api/health.
   */
  @Get('ready')
  @Public()
  @ApiOkResponse({ description: '{ status: "ok", db: "up", redis: "up" }' })
  @ApiServiceUnavailableResponse({ description: 'Stopping, or a part is "down"' })
  async ready(
    @Res({ passthrough: true }) response: Response,
  ): Promise<HealthDto | { status: 'stopping' }> {
    if (this.shutdown.stopping) {
      response.status(HttpStatus.SERVICE_UNAVAILABLE);
      return { status: 'stopping' };
    }
    return this.check(response);
  }
}
