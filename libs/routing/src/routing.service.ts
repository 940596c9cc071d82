import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  AssignmentWriter,
  ConversationEvents,
  ConversationsRepository,
} from '@toonbank/conversations';
import type { OrganisationEntity } from '@toonbank/database';
import { isEligible, type PolicySubject } from '@toonbank/policy';
import type { Role } from '@toonbank/shared';
import { inTransaction } from '@toonbank/platform';
import { DataSource, type EntityManager } from 'typeorm';
import { planBatch, rankAssignees, type BatchCandidate } from './choose-assignee';

/** SPEC.md §4: auto-routing picks among these when eligible; team leads and admins never. */
export const ROUTING_POOL_ROLES: readonly Role[] = ['agent', 'communications', 'employee'];

/** One job routes at most this many; the rest goes to the next job (fair to other organisations). */
export const ROUTE_BATCH = 500;

/**
 * One transaction routes at most this many: few statements an assignment, and the people it
 * holds are not kept from a claim or an assignment by hand for long.
 */
export const ROUTE_TRANSACTION_BATCH = 100;

type Person = BatchCandidate & PolicySubject;

/** What one transaction did: routing goes on, waits for someone, or is done. */
type Outcome =
  | { kind: 'done' }
  | { kind: 'assigned'; ids: string[]; drained: boolean }
  | { kind: 'wait'; userId: string }
  | { kind: 'refused'; userId: string };

const DONE: Outcome = { kind: 'done' };

/** The first key of the advisory lock that lets one router of an organisation in at a time. */
const ROUTING_GATE = 0x726f7574; // 'rout'

/** The columns of a person that routing judges and ranks on. */
const PERSON = `u.id, u.role, u.active, u.available, u.trained_at, u.capacity, u.languages,
  u.last_assigned_at, floor(extract(epoch FROM u.last_assigned_at) * 1000000)::bigint AS last_assigned_us`;
const IN_POOL = 'u.organisation_id = $1 AND u.active AND u.available AND u.role = ANY($2::text[])';

interface PersonRow {
  id: string;
  role: Role;
  active: boolean;
  trained_at: Date | null;
  capacity: number;
  languages: string[];
  last_assigned_at: Date | null;
  last_assigned_us: string | null;
  held: boolean;
}

/**
 * Routes an organisation's unassigned queue a batch per transaction, correct under
 * concurrency, in a handful of statements whatever the batch's size:
 * - one router of an organisation at a time takes people (a transaction-scoped advisory
 *   lock, the gate), so that concurrent routers do not split the people between them;
 * - it locks the people of the routing pool with SKIP LOCKED (whoever a claim or an
 *   assignment by hand holds right now is passed over, not waited for) and counts their load
 *   after that: nobody else can add to the load of someone it holds, since whoever assigns
 *   to someone holds their lock first (routers, claims and assignments by hand alike);
 * - it takes the next conversations in the queue's order with SKIP LOCKED (nobody else is
 *   routing or claiming them), assigns them in memory one after the other by the strategy,
 *   each assignment counted in the load and the turn of whoever got it (`planBatch`), and
 *   has `AssignmentWriter.assignRouted` write the assignments, the people's turns and the
 *   audit entries set-based; the events follow the commit.
 * A transaction waits for one person at most, first, while it holds nobody and not the gate;
 * whoever has the gate never waits for a person: routers never deadlock on each other's
 * people, nor on the gate.
 */
@Injectable()
export class RoutingService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly writer: AssignmentWriter,
    private readonly events: ConversationEvents,
    private readonly conversations: ConversationsRepository,
  ) {}

  /** Returns how many were assigned, and whether conversations are left that someone could take. */
  async routeQueue(
    organisationId: string,
    limit = ROUTE_BATCH,
  ): Promise<{ assigned: number; more: boolean }> {
    let assigned = 0;
    // Who turned a router down since its last assignment: not chosen again meanwhile.
    const refused = new Set<string>();
    let waitFor: string | null = null;
    while (assigned < limit) {
      const size = Math.min(ROUTE_TRANSACTION_BATCH, limit - assigned);
      const outcome: Outcome = await inTransaction(this.db, (manager) =>
        this.routeBatch(manager, organisationId, refused, waitFor, size),
      );
      waitFor = null;
      switch (outcome.kind) {
        case 'done':
          return { assigned, more: false };
        case 'refused':
          refused.add(outcome.userId);
          continue;
        case 'wait':
          waitFor = outcome.userId;
          continue;
        case 'assigned':
          refused.clear();
          assigned += outcome.ids.length;
          await this.events.updated(organisationId, outcome.ids);
          if (outcome.drained) return { assigned, more: false };
      }
    }
    return { assigned, more: true };
  }

  /**
   * Up to `size` of the oldest-due unassigned conversations nobody else is routing, to
   * whoever should have them among the people this transaction holds. `waitFor`: first wait
   * for that person's lock (an earlier transaction held nobody who could take the work).
   */
  private async routeBatch(
    manager: EntityManager,
    organisationId: string,
    refused: ReadonlySet<string>,
    waitFor: string | null,
    size: number,
  ): Promise<Outcome> {
    // Share-locked: a maturity or policy change waits for this routing, or this routing for it.
    const organisation = await this.conversations.lockOrganisation(manager, organisationId);
    const strategy = organisation.routingStrategy;
    if (strategy === 'manual') return DONE;
    // Holding nobody yet: the one wait for a person of this transaction.
    if (waitFor) await this.waitFor(manager, organisationId, waitFor);
    // One router of the organisation at a time from here on: it holds everyone routers can
    // hold, and never waits for a person while it has the gate.
    // One 64-bit key per organisation (a 32-bit hash would let organisations share a gate).
    await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($2, $1))', [
      ROUTING_GATE,
      organisationId,
    ]);
    const now = new Date();
    const people = await this.candidates(manager, organisation, refused, now);
    const withRoom = people.filter((p) => p.load < p.capacity);
    // Counted under the locks: nobody has room (a place freed later triggers routing again).
    if (withRoom.length === 0) return DONE;
    // Everyone who could take work is held by someone else, or the one waited for turned out
    // full, ineligible or gone: let go of the gate and whoever this transaction holds, and
    // wait for that person first in the next.
    if (!withRoom.some((p) => p.held)) {
      return waitFor
        ? { kind: 'refused', userId: waitFor }
        : { kind: 'wait', userId: rankAssignees(withRoom, strategy, null)[0]!.id };
    }

    const batch = (await manager.query(
      `SELECT c.id, c.language FROM conversations c
        WHERE c.organisation_id = $1 AND c.status = 'unassigned'
        ORDER BY c.sla_breached DESC, c.sla_due_at ASC NULLS LAST, c.last_message_at ASC, c.id ASC
        LIMIT $2 FOR NO KEY UPDATE SKIP LOCKED`,
      [organisationId, size],
    )) as { id: string; language: string | null }[];
    if (batch.length === 0) return DONE;
    // Later than anyone's last turn, so that the turns given here come after theirs.
    const start = Math.max(
      now.getTime() * 1000,
      ...people.map((p) => (p.lastAssignedMicros ?? 0) + 1),
    );
    const plan = planBatch(people, strategy, batch, start);
    if (plan.assignments.length === 0)
      return plan.waitFor ? { kind: 'wait', userId: plan.waitFor } : DONE;
    await this.writer.assignRouted(
      manager,
      organisation.id,
      plan.assignments,
      `routed (${organisation.routingStrategy})`,
    );
    return {
      kind: 'assigned',
      ids: plan.assignments.map((a) => a.conversationId),
      drained: batch.length < size && plan.assignments.length === batch.length,
    };
  }

  /** Waits for the person's lock (the caller holds nobody). */
  private async waitFor(manager: EntityManager, organisationId: string, userId: string) {
    await manager.query(
      'SELECT id FROM users WHERE organisation_id = $1 AND id = $2 FOR NO KEY UPDATE',
      [organisationId, userId],
    );
  }

  /** The eligible people of the pool but those who turned this router down, with their load. */
  private async candidates(
    manager: EntityManager,
    organisation: OrganisationEntity,
    refused: ReadonlySet<string>,
    now: Date,
  ): Promise<Person[]> {
    const people = (await this.pool(manager, organisation)).filter(
      (p) => !refused.has(p.id) && isEligible(p, organisation, now),
    );
    await this.countLoads(manager, organisation.id, people);
    return people;
  }

  /**
   * The active, available people of the routing pool, each `held` when this transaction now
   * holds their lock (taken with SKIP LOCKED: whoever another transaction holds is passed
   * over, and comes as it was when the statement began). Those held come as they are under
   * the lock: a deactivation, a role change or an assignment committed meanwhile is seen.
   */
  private async pool(manager: EntityManager, organisation: OrganisationEntity): Promise<Person[]> {
    const rows = (await manager.query(
      `WITH held AS MATERIALIZED (
         SELECT ${PERSON} FROM users u WHERE ${IN_POOL} FOR NO KEY UPDATE SKIP LOCKED)
       SELECT held.*, true AS held FROM held
       UNION ALL
       SELECT ${PERSON}, false AS held FROM users u
        WHERE ${IN_POOL} AND u.id NOT IN (SELECT id FROM held)`,
      [organisation.id, ROUTING_POOL_ROLES],
    )) as PersonRow[];
    return rows.map((row) => ({
      id: row.id,
      role: row.role,
      active: row.active,
      trainedAt: row.trained_at,
      capacity: row.capacity,
      languages: row.languages,
      lastAssignedAt: row.last_assigned_at,
      lastAssignedMicros: row.last_assigned_us === null ? null : Number(row.last_assigned_us),
      load: 0,
      held: row.held,
    }));
  }

  /**
   * Open conversations (assigned and waiting) of each, counted after the locks were taken:
   * exact for those held, as good as a moment ago for the others.
   */
  private async countLoads(
    manager: EntityManager,
    organisationId: string,
    people: Person[],
  ): Promise<void> {
    if (people.length === 0) return;
    const rows = (await manager.query(
      `SELECT assignee_id AS id, count(*)::int AS load FROM conversations
        WHERE organisation_id = $1 AND assignee_id = ANY($2::uuid[])
          AND status IN ('assigned', 'waiting')
        GROUP BY assignee_id`,
      [organisationId, people.map((p) => p.id)],
    )) as { id: string; load: number }[];
    const loads = new Map(rows.map((row) => [row.id, row.load]));
    for (const person of people) person.load = loads.get(person.id) ?? 0;
  }
}
