import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { ChannelAccountEntity } from '@toonbank/database';
import { upsertJobSchedule, type JobSchedule } from '@toonbank/platform';
import { JobName, QueueName, type JobPayloads } from '@toonbank/shared';
import type { Queue } from 'bullmq';

/** What a poll job answers (the worker's ChannelPoller; "poll now" waits for it). */
export interface PollResult {
  fetched: number;
  stored: number;
  /** Why nothing was fetched (paused, throttled, failing). */
  skipped?: string;
}

/** Every polled account's scheduler id starts so (the worker removes the stale ones). */
export const POLL_SCHEDULER_PREFIX = 'poll:';

const schedulerId = (channelAccountId: string) => `${POLL_SCHEDULER_PREFIX}${channelAccountId}`;

type PolledAccount = Pick<
  ChannelAccountEntity,
  'id' | 'organisationId' | 'status' | 'deletedAt' | 'pollIntervalSeconds'
>;

/** One BullMQ job scheduler per polled channel account, at its interval (STYLE.md §Queues). */
@Injectable()
export class PollingSchedule {
  constructor(@InjectQueue(QueueName.Polling) private readonly queue: Queue) {}

  /** Starts or changes an account's schedule; a paused or deleted account has none. */
  async apply(account: PolledAccount): Promise<void> {
    if (account.status === 'paused' || account.deletedAt) {
      await this.queue.removeJobScheduler(schedulerId(account.id));
      return;
    }
    await upsertJobSchedule(this.of(account));
  }

  /** An active account's scheduler: one poll job every `pollIntervalSeconds`. */
  of(account: PolledAccount): JobSchedule {
    const data: JobPayloads[typeof JobName.PollChannel] = {
      organisationId: account.organisationId,
      channelAccountId: account.id,
    };
    return {
      queue: this.queue,
      id: schedulerId(account.id),
      repeat: { every: account.pollIntervalSeconds * 1000 },
      job: { name: JobName.PollChannel, data: { ...data }, opts: { attempts: 1 } },
    };
  }

  async remove(channelAccountId: string): Promise<void> {
    await this.queue.removeJobScheduler(schedulerId(channelAccountId));
  }
}
