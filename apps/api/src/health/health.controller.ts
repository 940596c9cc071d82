import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import {
  HealthCheckService,
  TypeOrmHealthIndicator,
  type HealthCheckResult,
} from '@nestjs/terminus';
import { Public } from '@toonbank/platform';
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
}
