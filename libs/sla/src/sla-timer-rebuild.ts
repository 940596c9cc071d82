import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { InjectRedis } from '@toonbank/platform';
import { QueueName } from '@toonbank/shared';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { SlaService, slaTimerJobId } from './sla.service';

/** Conversations looked at per round trip to PostgreSQL and to Redis. */
export const SLA_REBUILD_BATCH = 500;

/**
 * How long a rebuild vouches for Redis's timers: the sentinel it sets lives this long, so a
 * full rebuild runs at least this often even if Redis never loses its data (a safety net).
 */
export const SLA_TIMERS_INTACT_SECONDS = 3600;

/** How long a worker's rebuild keeps the others from starting one. */
const SLA_REBUILD_LOCK_SECONDS = 300;

/** The sentinel's key within the SLA queue's keys (a job id is `sla-...`, never this). */
const TIMERS_INTACT = 'timers-intact';

interface PendingTimer {
  id: string;
  organisation_id: string;
  sla_due_at: Date;
  /** The due time as PostgreSQL writes it (microseconds): the page's key. */
  due_key: string;
}

/**
 * PostgreSQL is the truth about SLA timers: every open conversation that still waits for its
 * first response before its due time has a delayed `sla.check` job. This finds the ones Redis
 * lost (a Redis back without its data) and sets them again, across every organisation, as the
 * sweep does. The job id names the conversation and its due time, so setting one twice (two
 * workers, a race with the ingest) keeps one timer.
 */
@Injectable()
export class SlaTimerRebuild {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectQueue(QueueName.Sla) private readonly queue: Queue,
    @InjectRedis() private readonly redis: Redis,
    private readonly sla: SlaService,
  ) {}

  /**
   * Rebuilds only when Redis may have lost timers: when the sentinel is missing (Redis came
   * back empty or was flushed, or the hour of the last rebuild is over). The sentinel is first
   * set for a few minutes (NX: the lock, one worker scans at a time; a worker that dies
   * mid-scan lets it go), and for the hour once the scan is done, only if it is still there (XX:
   * a flush during the scan took it, and the next sweep scans again). Returns how many timers
   * were set again (0 when the sentinel was there).
   */
  async rebuildIfLost(now = new Date()): Promise<number> {
    const sentinel = this.queue.toKey(TIMERS_INTACT);
    const claimed = await this.redis.set(
      sentinel,
      'rebuilding',
      'EX',
      SLA_REBUILD_LOCK_SECONDS,
      'NX',
    );
    if (claimed !== 'OK') return 0;
    let rebuilt: number;
    try {
      rebuilt = await this.rebuild(now);
    } catch (error) {
      await this.redis.del(sentinel);
      throw error;
    }
    await this.redis.set(sentinel, now.toISOString(), 'EX', SLA_TIMERS_INTACT_SECONDS, 'XX');
    return rebuilt;
  }

  /** Scans every waiting conversation; returns how many timers were set again. */
  async rebuild(now = new Date()): Promise<number> {
    let rebuilt = 0;
    let after: { dueKey: string; id: string } | null = null;
    for (;;) {
      const rows = (await this.db.query(
        `SELECT id, organisation_id, sla_due_at, sla_due_at::text AS due_key FROM conversations
          WHERE sla_breached = false AND first_response_at IS NULL
            AND status IN ('unassigned', 'assigned') AND sla_due_at > $1
            AND ($2::timestamptz IS NULL OR (sla_due_at, id) > ($2, $3::uuid))
          ORDER BY sla_due_at, id LIMIT $4`,
        [now, after?.dueKey ?? null, after?.id ?? null, SLA_REBUILD_BATCH],
      )) as PendingTimer[];
      if (rows.length === 0) return rebuilt;
      for (const row of await this.withoutTimer(rows)) {
        await this.sla.schedule({
          id: row.id,
          organisationId: row.organisation_id,
          slaDueAt: row.sla_due_at,
        });
        rebuilt += 1;
      }
      const last = rows[rows.length - 1];
      after = { dueKey: last.due_key, id: last.id };
    }
  }

  /** The rows whose timer job is not in Redis (one pipelined EXISTS per batch). */
  private async withoutTimer(rows: PendingTimer[]): Promise<PendingTimer[]> {
    const pipeline = this.redis.pipeline();
    for (const row of rows) {
      pipeline.exists(this.queue.toKey(slaTimerJobId({ id: row.id, slaDueAt: row.sla_due_at })));
    }
    const answers = (await pipeline.exec()) ?? [];
    return rows.filter((_, index) => {
      const [error, exists] = answers[index] ?? [null, 0];
      if (error) throw error;
      return exists === 0;
    });
  }
}
