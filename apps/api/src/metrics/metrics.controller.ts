import { Controller, Get, Header, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Metrics, Public } from '@toonbank/platform';
import type { Response } from 'express';
import { MetricsGuard } from './metrics.guard';

/** Prometheus' scrape target, outside the /api prefix (configure-api.ts). */
@ApiTags('metrics')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get()
  @Public()
  @UseGuards(MetricsGuard)
  @ApiBearerAuth()
  @Header('Cache-Control', 'no-store')
  @ApiOkResponse({ description: 'Prometheus text: HTTP, sockets, queues, process' })
  async scrape(@Res({ passthrough: true }) response: Response): Promise<string> {
    const { contentType, body } = await this.metrics.text();
    response.setHeader('Content-Type', contentType);
    return body;
  }
}
