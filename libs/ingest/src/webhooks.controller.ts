import { InjectQueue } from '@nestjs/bullmq';
import { Controller, Get, Header, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiExcludeController } from '@nestjs/swagger';
import { CONNECTOR_REGISTRY } from '@toonbank/channel-accounts';
import type { ConnectorRegistry, WebhookEndpoint, WebhookSettings } from '@toonbank/channels';
import { ApiError, Public } from '@toonbank/platform';
import { JobName, QueueName, type JobPayloads } from '@toonbank/shared';
import type { Queue } from 'bullmq';
import type { Request } from 'express';

/**
 * The channels' webhooks (API.md §Channels), one route for every endpoint the connectors declare
 * (`/api/webhooks/meta` serves Facebook and Instagram): the subscription handshake, and
 * deliveries that are answered 200 at once and stored by the worker. A delivery the endpoint
 * does not find authentic (Meta: X-Hub-Signature-256 is not the app secret's HMAC of the raw
 * body) is refused with 403, and nothing is stored. An unknown endpoint is 404.
 */
@ApiExcludeController()
@Controller('webhooks/:endpoint')
export class WebhooksController {
  constructor(
    private readonly config: ConfigService,
    @Inject(CONNECTOR_REGISTRY) private readonly connectors: ConnectorRegistry,
    @InjectQueue(QueueName.Ingest) private readonly ingest: Queue,
  ) {}

  @Get()
  @Public()
  @Header('Content-Type', 'text/plain')
  handshake(@Param('endpoint') name: string, @Query() query: Record<string, unknown>): string {
    const endpoint = this.endpoint(name);
    if (!endpoint.handshake) throw ApiError.notFound('The webhook');
    const challenge = endpoint.handshake(query, this.settingsOf(endpoint));
    if (challenge === null) throw ApiError.forbidden('The verify token does not match.');
    return challenge;
  }

  @Post()
  @Public()
  @HttpCode(200)
  async deliver(
    @Param('endpoint') name: string,
    @Req() request: Request & { rawBody?: Buffer },
  ): Promise<{ received: true }> {
    const endpoint = this.endpoint(name);
    if (
      !request.rawBody ||
      !endpoint.verify(request.rawBody, request.headers, this.settingsOf(endpoint))
    ) {
      throw ApiError.forbidden('The delivery’s signature is not valid.');
    }
    const data: JobPayloads[typeof JobName.IngestWebhook] = {
      endpoint: endpoint.name,
      body: request.body,
    };
    // The channel already has its 200: a database outage must be waited out, not cost the
    // delivery (about three hours of retries, backing off from 5 seconds).
    await this.ingest.add(JobName.IngestWebhook, data, {
      attempts: 12,
      backoff: { type: 'exponential', delay: 5_000 },
    });
    return { received: true };
  }

  private endpoint(name: string): WebhookEndpoint {
    const endpoint = this.connectors.webhooks.endpoint(name);
    if (!endpoint) throw ApiError.notFound('The webhook');
    return endpoint;
  }

  /** The deployment settings the endpoint names (its secrets): passed on, never logged. */
  private settingsOf(endpoint: WebhookEndpoint): WebhookSettings {
    return Object.fromEntries(
      endpoint.settings.map((setting) => [setting, this.config.get<string>(setting)]),
    );
  }
}
