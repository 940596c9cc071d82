import { InjectQueue, Processor } from '@nestjs/bullmq';
import { Inject, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment, JobSchedule } from '@toonbank/platform';
import type { ConnectorRegistry } from '@toonbank/channels';
import {
  ChannelAccountsRepository,
  ChannelEvents,
  CONNECTOR_REGISTRY,
  POLL_SCHEDULER_PREFIX,
  PollingSchedule,
} from '@toonbank/channel-accounts';
import { ChannelPoller } from '@toonbank/ingest';
import { JobName, QueueName, type JobPayloads, type PollOutcomeDto } from '@toonbank/shared';
import type { Job, Queue } from 'bullmq';
import { JobProcessor, type OwnedSchedulers } from './job-processor';

/** Polls channel accounts at their schedule (and when an admin asks). */
@Processor(QueueName.Polling, { concurrency: 4 })
export class PollingProcessor extends JobProcessor {
  private readonly logger = new Logger(PollingProcessor.name);

  readonly handlers = {
    [JobName.PollChannel]: async (job: Job) => {
      const { organisationId, channelAccountId, waitForTurn, requestedBy } =
        job.data as JobPayloads[typeof JobName.PollChannel];
      // The live event never fails the poll (which would run it again).
      const tell = async (poll: PollOutcomeDto) => {
        if (!requestedBy) return;
        await this.channelEvents
          .pollEnded(organisationId, channelAccountId, requestedBy, poll)
          .catch((error: unknown) =>
            this.logger.warn(`channel.updated not sent: ${(error as Error).message}`),
          );
      };
      try {
        const result = await this.poller.poll(organisationId, channelAccountId, {
          waitForTurn: waitForTurn === true,
        });
        await tell({ jobId: job.id as string, ...result });
        return result;
      } catch (error) {
        // The reason stays in the worker's log: an unexpected error may say too much.
        if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1))
          await tell({ jobId: job.id as string, error: 'The poll failed.' });
        throw error;
      }
    },
  };

  constructor(
    private readonly poller: ChannelPoller,
    private readonly accounts: ChannelAccountsRepository,
    private readonly schedule: PollingSchedule,
    private readonly channelEvents: ChannelEvents,
    @Inject(CONNECTOR_REGISTRY) private readonly connectors: ConnectorRegistry,
    private readonly config: ConfigService<Environment, true>,
    @InjectQueue(QueueName.Polling) private readonly queue: Queue,
  ) {
    super();
  }

  /**
   * Every polled account has its schedule, even after Redis lost them: a repair across all
   * organisations, like the sweeps, and off with them (SWEEP_INTERVAL_SECONDS=0).
   */
  override async schedules(): Promise<JobSchedule[]> {
    if (!this.keepsSchedules()) return [];
    const polled = this.polledProviders();
    if (polled.length === 0) return [];
    const accounts = await this.accounts.activePolled(polled);
    return accounts.map((account) => this.schedule.of(account));
  }

  /** `poll:<id>` of an account paused or deleted (or whose channel is no longer polled) goes. */
  override ownedSchedulers(): OwnedSchedulers | null {
    if (!this.keepsSchedules()) return null;
    return {
      queue: this.queue,
      idPrefix: POLL_SCHEDULER_PREFIX,
      stillWanted: (schedulerId) =>
        this.accounts.isActivePolled(
          schedulerId.slice(POLL_SCHEDULER_PREFIX.length),
          this.polledProviders(),
        ),
    };
  }

  private keepsSchedules(): boolean {
    return this.config.get('SWEEP_INTERVAL_SECONDS', { infer: true }) !== 0;
  }

  private polledProviders(): string[] {
    return this.connectors.providers().filter((p) => this.connectors.get(p).fetch);
  }
}
