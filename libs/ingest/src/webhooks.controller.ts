import { InjectQueue } from '@nestjs/bullmq';
import { Controller, Get, Header, HttpCode, Post, Query, Req } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiExcludeController } from '@nestjs/swagger';
import { verifyMetaHandshake, verifyMetaSignature } from '@toonbank/channels';
import { ApiError, Public, type Environment } from '@toonbank/platform';
import { JobName, QueueName, type JobPayloads } from '@toonbank/shared';
import type { Queue } from 'bullmq';
import type { Request } from 'express';

/**
 * Meta's webhook (API.md §Channels): the verification handshake, and signed deliveries that
 * are answered 200 at once and stored by the worker. A delivery whose X-Hub-Signature-256 is
 * not the app secret's HMAC of the raw body is refused with 403, and nothing is stored.
 */
@ApiExcludeController()
@Controller('webhooks/meta')
export class WebhooksController {
  constructor(
    private readonly config: ConfigService<Environment, true>,
    @InjectQueue(QueueName.Ingest) private readonly ingest: Queue,
  ) {}

  @Get()
  @Public()
  @Header('Content-Type', 'text/plain')
  handshake(@Query() query: Record<string, unknown>): string {
    const verifyToken = this.config.get('META_VERIFY_TOKEN', { infer: true });
    const challenge = verifyToken ? verifyMetaHandshake(query, verifyToken) : null;
    if (challenge === null) throw ApiError.forbidden('The verify token does not match.');
    return challenge;
  }

  @Post()
  @Public()
  @HttpCode(200)
  async deliver(@Req() request: Request & { rawBody?: Buffer }): Promise<{ received: true }> {
    const secret = this.config.get('META_APP_SECRET', { infer: true });
    const signature = request.headers['x-hub-signature-256'];
    if (
      !secret ||
      !request.rawBody ||
      !verifyMetaSignature(
        request.rawBody,
        typeof signature === 'string' ? signature : undefined,
        secret,
      )
    ) {
      throw ApiError.forbidden('The delivery’s signature is not valid.');
    }
    const data: JobPayloads[typeof JobName.IngestWebhook] = { source: 'meta', body: request.body };
    // Meta already has its 200: a database outage must be waited out, not cost the delivery
    // (about three hours of retries, backing off from 5 seconds).
    await this.ingest.add(JobName.IngestWebhook, data, {
      attempts: 12,
      backoff: { type: 'exponential', delay: 5_000 },
    });
    return { received: true };
  }
}
