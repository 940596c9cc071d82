import { Processor } from '@nestjs/bullmq';
import { Inject, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '@toonbank/platform';
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
export class PollingProcessor extends JobProcessor implements OnApplicationBootstrap {
  private readonly logger = new Logger(PollingProcessor.name);

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
  async onApplicationBootstrap(): Promise<void> {
    if (this.config.get('SWEEP_INTERVAL_SECONDS', { infer: true }) === 0) return;
    const polled = this.connectors.providers().filter((p) => this.connectors.get(p).fetch);
    if (polled.length === 0) return;
    const accounts = await this.accounts.activePolled(polled);
    for (const account of accounts) await this.schedule.apply(account);
    if (accounts.length > 0) this.logger.log(`polling ${accounts.length} channel accounts`);
  }
}
