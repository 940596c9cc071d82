import { Processor } from '@nestjs/bullmq';
import { Inject } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment, JobSchedule } from '@toonbank/platform';
import type { ConnectorRegistry } from '@toonbank/channels';
import {
  ChannelAccountsRepository,
  CONNECTOR_REGISTRY,
  PollingSchedule,
} from '@toonbank/channel-accounts';
import { ChannelPoller } from '@toonbank/ingest';
import { JobName, QueueName, type JobPayloads } from '@toonbank/shared';
import type { Job } from 'bullmq';
import { JobProcessor } from './job-processor';

/** Polls channel accounts at their schedule (and when an admin asks). */
@Processor(QueueName.Polling, { concurrency: 4 })
export class PollingProcessor extends JobProcessor {
  readonly handlers = {
    [JobName.PollChannel]: (job: Job) => {
      const { organisationId, channelAccountId, waitForTurn } =
        job.data as JobPayloads[typeof JobName.PollChannel];
      return this.poller.poll(organisationId, channelAccountId, {
        waitForTurn: waitForTurn === true,
      });
    },
  };

  constructor(
    private readonly poller: ChannelPoller,
    private readonly accounts: ChannelAccountsRepository,
    private readonly schedule: PollingSchedule,
    @Inject(CONNECTOR_REGISTRY) private readonly connectors: ConnectorRegistry,
    private readonly config: ConfigService<Environment, true>,
  ) {
    super();
  }

  /**
   * Every polled account has its schedule, even after Redis lost them: a repair across all
   * organisations, like the sweeps, and off with them (SWEEP_INTERVAL_SECONDS=0).
   */
  override async schedules(): Promise<JobSchedule[]> {
    if (this.config.get('SWEEP_INTERVAL_SECONDS', { infer: true }) === 0) return [];
    const polled = this.connectors.providers().filter((p) => this.connectors.get(p).fetch);
    if (polled.length === 0) return [];
    const accounts = await this.accounts.activePolled(polled);
    return accounts.map((account) => this.schedule.of(account));
  }
}
