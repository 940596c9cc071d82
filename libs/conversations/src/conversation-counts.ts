import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { OrganisationEntity, UserEntity } from '@toonbank/database';
import {
  ApiError,
  EventPublisher,
  InjectRedis,
  RedisConnections,
  type Principal,
} from '@toonbank/platform';
import { readsInbox } from '@toonbank/policy';
import { COUNT_CAP, ErrorCode, type ConversationCountsDto } from '@toonbank/shared';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { countsChanged, countsFor, parseSnapshot, type CountsSnapshot } from './counts-snapshot';
import { COUNTS_WINDOW_MS } from './counts-trigger';

/** How long a snapshot serves readers without a change announced (a lost trigger costs this). */
const SNAPSHOT_TTL_SECONDS = 60;
/** What was last sent, to tell whose numbers changed; without it everyone hears. */
const ANNOUNCED_TTL_SECONDS = 3600;
/** A reader who finds another process counting waits this long for its snapshot at most. */
const WAIT_FOR_COUNT_MS = 2_000;
const WAIT_STEP_MS = 25;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What a `counts.refresh` job did. */
export type CountsRefresh =
  | { counted: true; told: number }
  /** Counted less than a window ago (a reader's count): run again after `retryInMs`. */
  | { counted: false; retryInMs: number };

/**
 * The inbox's tab counts (issue 14): counted per organisation at most once per window across
 * every api and worker process, kept in Redis as a snapshot, and sent as `counts.updated` to
 * each user whose numbers changed. Two bounded statements' worth of work in one query: each
 * total stops at COUNT_CAP rows (a huge closed list costs no more than a thousand index
 * entries), and one grouped count gives every assignee's assigned and waiting work.
 */
@Injectable()
export class ConversationCounts {
  private readonly logger = new Logger(ConversationCounts.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRedis() private readonly redis: Redis,
    private readonly connections: RedisConnections,
    private readonly events: EventPublisher,
  ) {}

  /** `GET /api/conversations/counts`: the caller's numbers from the snapshot. */
  async forPrincipal(principal: Principal): Promise<ConversationCountsDto> {
    return countsFor(await this.snapshot(principal.organisation.id), principal.user);
  }

  /**
   * The `counts.refresh` job: count (when no one has within the window), keep the snapshot,
   * and tell each user who may read the inbox and whose numbers differ from the last ones sent.
   */
  async refresh(organisationId: string): Promise<CountsRefresh> {
    if (!(await this.takeTurn(organisationId))) {
      const left = await this.inRedis(this.redis.pttl(this.key(organisationId, 'turn')));
      return { counted: false, retryInMs: left > 0 ? left : 1 };
    }
    const after = await this.countAndStore(organisationId);
    const announcedKey = this.key(organisationId, 'announced');
    const before = parseSnapshot(await this.inRedis(this.redis.get(announcedKey)));
    await this.inRedis(
      this.redis.set(announcedKey, JSON.stringify(after), 'EX', ANNOUNCED_TTL_SECONDS),
    );
    let told = 0;
    for (const user of await this.readers(organisationId)) {
      if (!countsChanged(before, after, user)) continue;
      this.events.toUser(user.id, 'counts.updated', countsFor(after, user));
      told += 1;
    }
    return { counted: true, told };
  }

  /** The snapshot in Redis; counted now when there is none and no one counted within the window. */
  private async snapshot(organisationId: string): Promise<CountsSnapshot> {
    const stored = parseSnapshot(await this.inRedis(this.redis.get(this.key(organisationId))));
    if (stored) return stored;
    if (await this.takeTurn(organisationId)) return this.countAndStore(organisationId);
    // Another process counts (or counted) within the window: its snapshot is the answer.
    for (let waited = 0; waited < WAIT_FOR_COUNT_MS; waited += WAIT_STEP_MS) {
      await sleep(WAIT_STEP_MS);
      const theirs = parseSnapshot(await this.inRedis(this.redis.get(this.key(organisationId))));
      if (theirs) return theirs;
    }
    // Their count failed, or Redis lost the snapshot within its window: count rather than fail.
    return this.countAndStore(organisationId);
  }

  /** The window's turn to count, for one process: SET NX with the window as its life. */
  private async takeTurn(organisationId: string): Promise<boolean> {
    const taken = await this.inRedis(
      this.redis.set(this.key(organisationId, 'turn'), '1', 'PX', COUNTS_WINDOW_MS, 'NX'),
    );
    return taken === 'OK';
  }

  private async countAndStore(organisationId: string): Promise<CountsSnapshot> {
    const snapshot = await this.count(organisationId);
    await this.inRedis(
      this.redis.set(
        this.key(organisationId),
        JSON.stringify(snapshot),
        'EX',
        SNAPSHOT_TTL_SECONDS,
      ),
    );
    return snapshot;
  }

  /**
   * One statement (one view of the data): the first row holds the capped totals, each a count
   * over at most COUNT_CAP rows of the inbox index; the others, one per assignee with open
   * work, their assigned and waiting conversations (the (organisation, assignee, status) index).
   */
  async count(organisationId: string): Promise<CountsSnapshot> {
    const total = (status: string) =>
      `(SELECT count(*) FROM (SELECT 1 FROM conversations
          WHERE organisation_id = $1 AND status = '${status}' LIMIT $2) s)::int`;
    const rows = (await this.db.query(
      `SELECT NULL::uuid AS assignee_id, ${total('unassigned')} AS a, ${total('waiting')} AS b,
              ${total('closed')} AS c, now() AS at
       UNION ALL
       SELECT assignee_id,
              LEAST(count(*) FILTER (WHERE status = 'assigned'), $2)::int,
              LEAST(count(*) FILTER (WHERE status = 'waiting'), $2)::int,
              0, NULL
         FROM conversations
        WHERE organisation_id = $1 AND status IN ('assigned', 'waiting') AND assignee_id IS NOT NULL
        GROUP BY assignee_id`,
      [organisationId, COUNT_CAP],
    )) as Array<{ assignee_id: string | null; a: number; b: number; c: number; at: Date | null }>;
    const snapshot: CountsSnapshot = {
      computedAt: '',
      unassigned: 0,
      waiting: 0,
      closed: 0,
      assignees: {},
    };
    for (const row of rows) {
      if (row.assignee_id === null) {
        snapshot.unassigned = row.a;
        snapshot.waiting = row.b;
        snapshot.closed = row.c;
        snapshot.computedAt = new Date(row.at ?? Date.now()).toISOString();
      } else {
        snapshot.assignees[row.assignee_id] = [row.a, row.b];
      }
    }
    return snapshot;
  }

  /** The organisation's people who may read the inbox now (the others get no counts). */
  private async readers(organisationId: string): Promise<UserEntity[]> {
    const organisation = await this.db.manager.findOneBy(OrganisationEntity, {
      id: organisationId,
    });
    if (!organisation) return [];
    const users = await this.db.manager.findBy(UserEntity, { organisationId, active: true });
    const now = new Date();
    return users.filter((user) => readsInbox(user, organisation, now));
  }

  /** A Redis command whose failure is the counts' unavailability (503), not a server error. */
  private async inRedis<T>(command: Promise<T>): Promise<T> {
    try {
      return await command;
    } catch (error) {
      this.logger.warn(`counts unavailable: ${messageOf(error)}`);
      throw new ApiError(
        503,
        ErrorCode.ServiceUnavailable,
        'The counts are unavailable right now.',
      );
    }
  }

  private key(organisationId: string, part?: string): string {
    return this.connections.key('counts', organisationId, ...(part ? [part] : []));
  }
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
