import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import {
  AuthExpired,
  ChannelError,
  itemToJson,
  RateLimited,
  SafeHttp,
  type ChannelConnector,
  type ChannelCursor,
  type ConnectedAccount,
  type InboundItem,
  type ConnectorRegistry,
} from '@toonbank/channels';
import type { ChannelAccountEntity } from '@toonbank/database';
import { ConnectionErrorLog, InjectRedis, RedisConnections } from '@toonbank/platform';
import type { Redis } from 'ioredis';
import { JobName, QueueName, type JobPayloads } from '@toonbank/shared';
import { Inject } from '@nestjs/common';
import { QueueEvents, type Queue } from 'bullmq';
import {
  ChannelAccountsRepository,
  ChannelSessions,
  CONNECTOR_REGISTRY,
  SAFE_HTTP,
  type PollResult,
} from '@toonbank/channel-accounts';
import type { IngestResult } from './ingest-writer';
import {
  entryToJson,
  rejectedEntry,
  screenItems,
  type QuarantineEntry,
} from './quarantine/quarantine-entry';

/** How far one poll got: what it counted, and the cursor committed with its last page. */
interface PollProgress {
  fetched: number;
  /** `fetched` as of the last committed cursor. */
  committedFetched: number;
  stored: number;
  cursor: ChannelCursor | null;
}

/** Items per ingest job (and transaction). */
export const INGEST_BATCH = 500;
/** How long one page's ingest may take before the poll gives up (and tries again next time). */
const INGEST_TIMEOUT_MS = 120_000;
/**
 * A poll's lock on its account lives this long and is renewed while the poll runs, so that a
 * crashed (killed) worker's lock is gone within this time and the next poll goes on.
 */
const POLL_LOCK_MS = 30_000;
const POLL_LOCK_RENEW_MS = 10_000;
/** Extends the lock only if it is still ours. */
const RENEW_LOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
const POLL_TURN_WAIT_MS = 60_000;
/** Deletes the lock only if it is still ours. */
const RELEASE_LOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * One poll of a channel account: renews expiring secrets (stored at once), fetches page by
 * page, hands each page to the ingest queue and waits for it to be committed (with its
 * cursor) before fetching the next, so that a crash loses nothing and the cursor never runs
 * ahead of what is stored. Rate limits pause the account until the channel's reset; failures
 * mark it degraded with the last error; a good poll makes it healthy again by itself.
 */
@Injectable()
export class ChannelPoller implements OnModuleDestroy {
  private readonly logger = new Logger(ChannelPoller.name);
  private readonly ingestEvents: QueueEvents;

  constructor(
    private readonly accounts: ChannelAccountsRepository,
    private readonly sessions: ChannelSessions,
    @Inject(CONNECTOR_REGISTRY) private readonly connectors: ConnectorRegistry,
    @Inject(SAFE_HTTP) private readonly http: SafeHttp,
    @InjectQueue(QueueName.Ingest) private readonly ingest: Queue,
    private readonly connections: RedisConnections,
    @InjectRedis() private readonly redis: Redis,
  ) {
    this.ingestEvents = new QueueEvents(QueueName.Ingest, {
      connection: { url: connections.url, maxRetriesPerRequest: null },
      prefix: connections.prefix,
    });
    new ConnectionErrorLog(this.logger).watch('ingest events', this.ingestEvents);
  }

  /**
   * One poll at a time per account (a scheduled poll and "poll now" may meet): the scheduled
   * one skips, "poll now" waits its turn.
   */
  async poll(
    organisationId: string,
    channelAccountId: string,
    options: { waitForTurn: boolean } = { waitForTurn: false },
  ): Promise<PollResult> {
    const lock = this.connections.key('poll-lock', channelAccountId);
    const token = `${process.pid}:${Date.now()}:${Math.random()}`;
    const deadline = Date.now() + (options.waitForTurn ? POLL_TURN_WAIT_MS : 0);
    while ((await this.redis.set(lock, token, 'PX', POLL_LOCK_MS, 'NX')) !== 'OK') {
      if (Date.now() >= deadline) {
        return { fetched: 0, stored: 0, skipped: 'another poll of this channel is running' };
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const renewal = setInterval(() => {
      this.redis.eval(RENEW_LOCK, 1, lock, token, POLL_LOCK_MS).catch(() => undefined);
    }, POLL_LOCK_RENEW_MS);
    try {
      return await this.pollLocked(organisationId, channelAccountId, new Date());
    } finally {
      clearInterval(renewal);
      await this.redis.eval(RELEASE_LOCK, 1, lock, token).catch(() => undefined);
    }
  }

  private async pollLocked(
    organisationId: string,
    channelAccountId: string,
    now: Date,
  ): Promise<PollResult> {
    const account = await this.accounts.withCredentials(organisationId, channelAccountId);
    if (!account) return { fetched: 0, stored: 0, skipped: 'no such channel' };
    if (account.status === 'paused') return { fetched: 0, stored: 0, skipped: 'paused' };
    if (account.throttledUntil && account.throttledUntil > now) {
      return {
        fetched: 0,
        stored: 0,
        skipped: `rate limited until ${account.throttledUntil.toISOString()}`,
      };
    }
    const connector = this.connectors.get(account.provider);
    if (!connector.fetch) return { fetched: 0, stored: 0, skipped: 'not a polled channel' };

    const progress: PollProgress = {
      fetched: 0,
      committedFetched: 0,
      stored: 0,
      cursor: account.cursor,
    };
    try {
      await this.sessions.withSession(account, now, (connected) =>
        this.fetchAll(account, connector, connected, progress),
      );
      await this.accounts.markHealthy(organisationId, channelAccountId, new Date());
      return { fetched: progress.fetched, stored: progress.stored };
    } catch (error) {
      await this.recordFailure(account, error, new Date());
      if (!(error instanceof ChannelError)) throw error;
      return { fetched: progress.fetched, stored: progress.stored, skipped: error.message };
    }
  }

  /**
   * Fetches from `progress.cursor` on, page by page, each committed before the next. Run again
   * after a renewed session (the channel said the token expired), it goes on from the cursor
   * committed so far and counts again only what was not committed.
   */
  private async fetchAll(
    account: ChannelAccountEntity,
    connector: ChannelConnector,
    connected: ConnectedAccount,
    progress: PollProgress,
  ): Promise<void> {
    progress.fetched = progress.committedFetched;
    // Pages without a cursor (channels read from the newest item down) wait until the page
    // that carries one: then everything goes in oldest first, so that a reply never arrives
    // before the post it answers, in batches that are each committed before the next.
    let pending: InboundItem[] = [];
    const quarantined: QuarantineEntry[] = [];
    for await (const page of connector.fetch!(connected, progress.cursor, this.http)) {
      progress.fetched += page.items.length;
      for (const rejected of page.rejected) {
        this.logger.warn(
          `${account.provider} ${account.id}: quarantined an item: ${rejected.reason}`,
        );
        quarantined.push(rejectedEntry(rejected));
      }
      // An item that cannot even be put in a job (nested too deep for JSON.stringify) is
      // quarantined with the page's last batch, in the transaction that stores its cursor.
      const screened = screenItems(page.items);
      pending.push(...screened.storable);
      quarantined.push(...screened.quarantined);
      if (!page.cursor) continue;
      const ordered = pending.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
      pending = [];
      for (let start = 0; start === 0 || start < ordered.length; start += INGEST_BATCH) {
        const batch = ordered.slice(start, start + INGEST_BATCH);
        const last = start + INGEST_BATCH >= ordered.length;
        progress.stored += (
          await this.ingestPage(
            account,
            batch.map(itemToJson),
            last ? page.cursor : null,
            last ? quarantined.splice(0) : [],
          )
        ).stored;
      }
      progress.cursor = page.cursor;
      progress.committedFetched = progress.fetched;
    }
  }

  private async ingestPage(
    account: ChannelAccountEntity,
    items: Record<string, unknown>[],
    cursor: Record<string, unknown> | null,
    quarantined: QuarantineEntry[],
  ): Promise<IngestResult> {
    const data: JobPayloads[typeof JobName.IngestBatch] = {
      organisationId: account.organisationId,
      channelAccountId: account.id,
      items,
      cursor,
      ...(quarantined.length > 0 ? { quarantined: quarantined.map(entryToJson) } : {}),
    };
    const job = await this.ingest.add(JobName.IngestBatch, data);
    return (await job.waitUntilFinished(this.ingestEvents, INGEST_TIMEOUT_MS)) as IngestResult;
  }

  private async recordFailure(
    account: ChannelAccountEntity,
    error: unknown,
    now: Date,
  ): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    const throttledUntil = error instanceof RateLimited ? error.retryAt : null;
    const label =
      error instanceof RateLimited
        ? `rate limited until ${error.retryAt.toISOString()}`
        : error instanceof AuthExpired
          ? `the channel refused the credentials: ${message}`
          : message;
    this.logger.warn(`${account.provider} ${account.id}: ${label}`);
    await this.accounts.markFailing(account.organisationId, account.id, label, now, throttledUntil);
  }

  async onModuleDestroy(): Promise<void> {
    await this.ingestEvents.close();
  }
}
