import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { ChannelAccountEntity } from '@toonbank/database';
import { JobName, QueueName, type JobPayloads } from '@toonbank/shared';
import type { Queue } from 'bullmq';

/** What a poll job answers (the worker's ChannelPoller; "poll now" waits for it). */
export interface PollResult {
  fetched: number;
  stored: number;
  /** Why nothing was fetched (paused, throttled, failing). */
  skipped?: string;
}

const schedulerId = (channelAccountId: string) => `poll:${channelAccountId}`;

/** One BullMQ job scheduler per polled channel account, at its interval (STYLE.md §Queues). */
@Injectable()
export class PollingSchedule {
  constructor(@InjectQueue(QueueName.Polling) private readonly queue: Queue) {}

  /** Starts or changes an account's schedule; a paused or deleted account has none. */
  async apply(
    account: Pick<
      ChannelAccountEntity,
      'id' | 'organisationId' | 'status' | 'deletedAt' | 'pollIntervalSeconds'
    >,
  ): Promise<void> {
    if (account.status === 'paused' || account.deletedAt) {
      await this.queue.removeJobScheduler(schedulerId(account.id));
      return;
    }
    const data: JobPayloads[typeof JobName.PollChannel] = {
      organisationId: account.organisationId,
      channelAccountId: account.id,
    };
    await this.queue.upsertJobScheduler(
      schedulerId(account.id),
      { every: account.pollIntervalSeconds * 1000 },
      { name: JobName.PollChannel, data, opts: { attempts: 1 } },
    );
  }

  async remove(channelAccountId: string): Promise<void> {
    await this.queue.removeJobScheduler(schedulerId(channelAccountId));
  }
}
