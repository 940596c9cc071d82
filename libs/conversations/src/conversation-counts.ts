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
import {
  countsFor,
  isNews,
  parseSnapshot,
  parseTold,
  type CountsSnapshot,
} from './counts-snapshot';
import { COUNTS_WINDOW_MS } from './counts-trigger';

/** How long a snapshot serves readers without a change announced (a lost trigger costs this). */
const SNAPSHOT_TTL_SECONDS = 60;
/** What each user was last sent, to tell whose numbers changed; without it they hear again. */
const TOLD_TTL_SECONDS = 3600;
/** A reader who finds another process counting waits this long for its snapshot at most. */
const WAIT_FOR_COUNT_MS = 2_000;
const WAIT_STEP_MS = 25;

/**
 * Whether ISO time `a` is before `b` (the same format: compared byte by byte, as Lua's `<` on
 * strings follows the server's locale).
 */
const BEFORE = `
local function before(a, b)
  for i = 1, math.min(#a, #b) do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then return x < y end
  end
  return #a < #b
end
local function newerThan(stored, at)
  if not stored then return true end
  local ok, value = pcall(cjson.decode, stored)
  if not ok or type(value) ~= 'table' or type(value.computedAt) ~= 'string' then return true end
  return before(value.computedAt, at)
end
`;

/**
 * KEYS[1] the snapshot; ARGV: its JSON, its computedAt, TTL (s). Kept only over an older one:
 * two counts may overlap (a job longer than the window, a reader who gave up waiting), and the
 * one that finishes last must not put older numbers back. 1 when kept.
 */
const STORE_SNAPSHOT = `${BEFORE}
if not newerThan(redis.call('GET', KEYS[1]), ARGV[2]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
return 1`;

/**
 * KEYS[1] the hash of what each user was last sent; ARGV: TTL (s), the count's computedAt, then
 * user id and sent JSON pairs. Each kept only over an older one (as the snapshot).
 */
const RECORD_TOLD = `${BEFORE}
for i = 3, #ARGV, 2 do
  if newerThan(redis.call('HGET', KEYS[1], ARGV[i]), ARGV[2]) then
    redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
  end
end
redis.call('EXPIRE', KEYS[1], ARGV[1])
return 1`;

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
   * and tell each user who may read the inbox and whose numbers differ from the last ones sent
   * to them.
   */
  async refresh(organisationId: string): Promise<CountsRefresh> {
    if (!(await this.takeTurn(organisationId))) {
      const left = await this.inRedis(this.redis.pttl(this.key(organisationId, 'turn')));
      return { counted: false, retryInMs: left > 0 ? left : 1 };
    }
    const after = await this.countAndStore(organisationId);
    const toldKey = this.key(organisationId, 'told');
    const told = await this.inRedis(this.redis.hgetall(toldKey));
    const sent: string[] = [];
    for (const user of await this.readers(organisationId)) {
      const counts = countsFor(after, user);
      if (!isNews(parseTold(told[user.id]), counts)) continue;
      this.events.toUser(user.id, 'counts.updated', counts);
      sent.push(user.id, JSON.stringify(counts));
    }
    // Recorded once sent (a crash in between sends them again rather than never), and only
    // over older records: an overlapping, older count does not undo a newer one's.
    await this.inRedis(
      this.redis.eval(RECORD_TOLD, 1, toldKey, TOLD_TTL_SECONDS, after.computedAt, ...sent),
    );
    return { counted: true, told: sent.length / 2 };
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

  /** Counts, and keeps the snapshot unless a newer one is there already. */
  private async countAndStore(organisationId: string): Promise<CountsSnapshot> {
    const snapshot = await this.count(organisationId);
    await this.inRedis(
      this.redis.eval(
        STORE_SNAPSHOT,
        1,
        this.key(organisationId),
        JSON.stringify(snapshot),
        snapshot.computedAt,
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
