import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** How many payloads one statement drops at most. */
export const RAW_RETENTION_BATCH_SIZE = Symbol('RAW_RETENTION_BATCH_SIZE');
export const DEFAULT_RAW_RETENTION_BATCH_SIZE = 5000;

const DAY_MS = 24 * 3600 * 1000;

export interface RawRetentionResult {
  /** Payloads dropped, over every organisation. */
  dropped: number;
  /** Statements run (the last one of each organisation finds fewer than a batch). */
  batches: number;
}

export interface RetentionRunResult extends RawRetentionResult {
  /** Quarantined items deleted (they are raw payloads and nothing else). */
  quarantined: number;
}

/**
 * The retention of raw payloads (API.md §Audit, reports, privacy): `messages.raw` of
 * messages stored more than the organisation's `raw_retention_days` ago is dropped; the
 * message itself (text, author, times) stays. Counted from `stored_at`, when Toonbank
 * received the payload, not from when the channel says the post was written.
 *
 * Each organisation in batches of at most `batchSize` rows, one short statement (its own
 * transaction) each, until a batch comes back short: no long lock, no long transaction.
 * Rows locked by someone else are skipped and left to the next run. The partial index
 * `ix_messages_raw_retention` (organisation_id, stored_at) WHERE raw IS NOT NULL finds each
 * batch without reading what was dropped before.
 *
 * Safe to run twice or side by side: it only ever sets NULL where a payload has expired.
 * Connectors cope without a raw payload (they fall back on the stored handle or ask the
 * channel for the post).
 */
@Injectable()
export class RawRetention {
  private readonly logger = new Logger(RawRetention.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Optional()
    @Inject(RAW_RETENTION_BATCH_SIZE)
    private readonly batchSize: number = DEFAULT_RAW_RETENTION_BATCH_SIZE,
  ) {}

  async dropExpired(now = new Date()): Promise<RetentionRunResult> {
    const organisations = (await this.db.query(
      'SELECT id, raw_retention_days AS days FROM organisations ORDER BY id',
    )) as { id: string; days: number }[];
    const total: RetentionRunResult = { dropped: 0, batches: 0, quarantined: 0 };
    for (const organisation of organisations) {
      const { dropped, batches } = await this.dropExpiredOf(
        organisation.id,
        organisation.days,
        now,
      );
      total.dropped += dropped;
      total.batches += batches;
      total.quarantined += await this.dropExpiredQuarantineOf(
        organisation.id,
        organisation.days,
        now,
      );
    }
    return total;
  }

  /**
   * One organisation's quarantined items received more than `retentionDays` before `now`
   * (issue 13): deleted, in batches as above, through (organisation_id, received_at).
   */
  async dropExpiredQuarantineOf(
    organisationId: string,
    retentionDays: number,
    now = new Date(),
  ): Promise<number> {
    const cutoff = new Date(now.getTime() - retentionDays * DAY_MS);
    let deleted = 0;
    for (;;) {
      const [, count] = (await this.db.query(
        `WITH expired AS MATERIALIZED (
           SELECT id FROM quarantined_items
            WHERE organisation_id = $1 AND received_at < $2
            LIMIT $3
            FOR NO KEY UPDATE SKIP LOCKED)
         DELETE FROM quarantined_items q USING expired WHERE q.id = expired.id`,
        [organisationId, cutoff, this.batchSize],
      )) as [unknown[], number];
      deleted += count;
      if (count < this.batchSize) break;
    }
    if (deleted > 0) {
      this.logger.log(
        `organisation ${organisationId}: deleted ${deleted} quarantined items received before ${cutoff.toISOString()}`,
      );
    }
    return deleted;
  }

  /** One organisation's payloads stored more than `retentionDays` before `now`. */
  async dropExpiredOf(
    organisationId: string,
    retentionDays: number,
    now = new Date(),
  ): Promise<RawRetentionResult> {
    const cutoff = new Date(now.getTime() - retentionDays * DAY_MS);
    const result: RawRetentionResult = { dropped: 0, batches: 0 };
    for (;;) {
      const [, count] = (await this.db.query(
        // MATERIALIZED: the batch is chosen once. As a subquery joined to the UPDATE it may
        // be scanned again, each scan skipping the rows the last one locked: more than a batch.
        `WITH expired AS MATERIALIZED (
           SELECT id FROM messages
            WHERE organisation_id = $1 AND raw IS NOT NULL AND stored_at < $2
            LIMIT $3
            FOR NO KEY UPDATE SKIP LOCKED)
         UPDATE messages m SET raw = NULL
           FROM expired
          WHERE m.id = expired.id`,
        [organisationId, cutoff, this.batchSize],
      )) as [unknown[], number];
      result.batches += 1;
      result.dropped += count;
      if (count < this.batchSize) break;
    }
    if (result.dropped > 0) {
      this.logger.log(
        `organisation ${organisationId}: dropped ${result.dropped} raw payloads stored before ${cutoff.toISOString()}`,
      );
    }
    return result;
  }
}
