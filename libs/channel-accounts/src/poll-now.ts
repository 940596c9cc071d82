import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { ConnectorRegistry } from '@toonbank/channels';
import {
  ApiError,
  ConnectionErrorLog,
  RedisConnections,
  type Environment,
  type Principal,
} from '@toonbank/platform';
import {
  ConflictReason,
  ErrorCode,
  JobName,
  QueueName,
  type JobPayloads,
  type PollAcceptedDto,
} from '@toonbank/shared';
import { QueueEvents, type Queue } from 'bullmq';
import { ChannelAccountsRepository } from './channel-accounts.repository';
import type { PollResult } from './polling-schedule';
import { CONNECTOR_REGISTRY } from './tokens';

/** How long "poll now" gives Redis to answer whether a worker is there. */
const AVAILABILITY_TIMEOUT_MS = 2000;

export type PollNowAnswer =
  | { status: 200; body: { fetched: number; stored: number } }
  | { status: 202; body: PollAcceptedDto };

const unavailable = (why: string) =>
  new ApiError(503, ErrorCode.ServiceUnavailable, `Polling is unavailable right now: ${why}.`);

/** The promise's value, or a rejection after `ms` (the promise's own failure is then ignored). */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  promise.catch(() => undefined);
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/**
 * "Poll now" (API.md §Channels, issue 13): one poll job for the account, answered with its
 * result when it finishes within POLL_NOW_WAIT_SECONDS, else 202 with the job's id; the
 * worker pushes `channel.updated` to the admin who asked when the job ends. Without Redis or
 * without any worker the job would never run: 503 `service.unavailable` at once.
 */
@Injectable()
export class ChannelPollNow implements OnModuleDestroy {
  private readonly logger = new Logger(ChannelPollNow.name);
  private readonly waitMs: number;
  private pollEvents?: QueueEvents;

  constructor(
    private readonly accounts: ChannelAccountsRepository,
    private readonly connections: RedisConnections,
    @Inject(CONNECTOR_REGISTRY) private readonly connectors: ConnectorRegistry,
    @InjectQueue(QueueName.Polling) private readonly polling: Queue,
    config: ConfigService<Environment, true>,
  ) {
    this.waitMs = config.get('POLL_NOW_WAIT_SECONDS', { infer: true }) * 1000;
  }

  async poll(principal: Principal, id: string): Promise<PollNowAnswer> {
    const account = await this.accounts.find(principal.organisation.id, id);
    if (!account) throw ApiError.notFound('The channel');
    if (!this.connectors.get(account.provider).fetch)
      throw ApiError.conflict(
        'This channel pushes its messages: there is nothing to poll.',
        ConflictReason.ChannelPushes,
      );
    if (account.status === 'paused')
      throw ApiError.conflict('The channel is paused.', ConflictReason.ChannelPaused);
    await this.refuseWithoutWorker();

    const data: JobPayloads[typeof JobName.PollChannel] = {
      organisationId: account.organisationId,
      channelAccountId: account.id,
      waitForTurn: true,
      requestedBy: principal.user.id,
    };
    // Not retried, as a scheduled poll is not: the admin asks again, or the schedule polls.
    const job = await within(
      this.polling.add(JobName.PollChannel, data, { attempts: 1 }),
      AVAILABILITY_TIMEOUT_MS,
    ).catch(() => {
      throw unavailable('the queue did not take the poll');
    });
    try {
      const result = (await job.waitUntilFinished(this.events(), this.waitMs)) as PollResult;
      return { status: 200, body: { fetched: result.fetched, stored: result.stored } };
    } catch (error) {
      if ((await job.getState().catch(() => 'unknown')) !== 'failed') {
        return { status: 202, body: { jobId: job.id as string } };
      }
      // Not a channel's error (those are answered 200 and recorded on the channel): the reason
      // stays in the logs, it may say too much.
      this.logger.warn(
        `poll now of channel ${account.id} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      throw unavailable('the poll failed, try again later');
    }
  }

  /** Redis answers, and at least one worker listens on the polling queue. */
  private async refuseWithoutWorker(): Promise<void> {
    const workers = await within(this.polling.getWorkersCount(), AVAILABILITY_TIMEOUT_MS).catch(
      (error: unknown) => {
        this.logger.warn(
          `poll now refused, Redis does not answer: ${error instanceof Error ? error.message : String(error)}`,
        );
        throw unavailable('Redis does not answer');
      },
    );
    if (workers === 0) {
      this.logger.warn('poll now refused: no worker is running');
      throw unavailable('no worker is running');
    }
  }

  private events(): QueueEvents {
    if (!this.pollEvents) {
      this.pollEvents = new QueueEvents(QueueName.Polling, {
        connection: { url: this.connections.url, maxRetriesPerRequest: null },
        prefix: this.connections.prefix,
      });
      new ConnectionErrorLog(this.logger).watch('polling events', this.pollEvents);
    }
    return this.pollEvents;
  }

  async onModuleDestroy(): Promise<void> {
    await this.pollEvents?.close();
  }
}
