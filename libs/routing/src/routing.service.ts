import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  AssignmentWriter,
  ConversationEvents,
  ConversationsRepository,
} from '@toonbank/conversations';
import { ConversationEntity, UserEntity, type OrganisationEntity } from '@toonbank/database';
import { isEligible } from '@toonbank/policy';
import type { Role } from '@toonbank/shared';
import { DataSource, type EntityManager } from 'typeorm';
import { rankAssignees, type RoutingCandidate } from './choose-assignee';

/** SPEC.md §4: auto-routing picks among these when eligible; team leads and admins never. */
export const ROUTING_POOL_ROLES: readonly Role[] = ['agent', 'communications', 'employee'];

/** One job routes at most this many; the rest goes to the next job (fair to other organisations). */
export const ROUTE_BATCH = 500;

type CandidateRow = UserEntity & { load: number };

/**
 * Routes an organisation's unassigned queue, one conversation per transaction, correct
 * under concurrency: the conversation is taken with SKIP LOCKED (two routers never take the
 * same one) and the chosen person's row is locked and their load counted again before the
 * assignment (two routers never push someone past capacity). Concurrent routers pass over
 * the people the others hold rather than queue for them, and a transaction waits for one
 * person at most, holding nobody else: routers never deadlock on each other's people.
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
    while (assigned < limit) {
      const outcome = await this.db.transaction((manager) =>
        this.routeOne(manager, organisationId, refused),
      );
      if (outcome === null) return { assigned, more: false };
      if ('refusedBy' in outcome) {
        refused.add(outcome.refusedBy);
        continue;
      }
      refused.clear();
      assigned += 1;
      await this.events.updated(organisationId, [outcome.assigned]);
    }
    return { assigned, more: true };
  }

  /**
   * The oldest-due unassigned conversation nobody else is routing, to whoever should have it;
   * null when there is none or nobody can take it.
   */
  private async routeOne(
    manager: EntityManager,
    organisationId: string,
    refused: ReadonlySet<string>,
  ): Promise<{ assigned: string } | { refusedBy: string } | null> {
    // Share-locked: a maturity or policy change waits for this routing, or this routing for it.
    const organisation = await this.conversations.lockOrganisation(manager, organisationId);
    if (organisation.routingStrategy === 'manual') return null;
    const conversation = await manager
      .createQueryBuilder(ConversationEntity, 'c')
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .where("c.organisation_id = :organisationId AND c.status = 'unassigned'", { organisationId })
      .orderBy('c.sla_breached', 'DESC')
      .addOrderBy('c.sla_due_at', 'ASC', 'NULLS LAST')
      .addOrderBy('c.last_message_at', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .limit(1)
      .getOne();
    if (!conversation) return null;

    const now = new Date();
    const candidates = (await this.candidates(manager, organisationId)).filter(
      (u) => !refused.has(u.id) && isEligible(u, organisation, now),
    );
    const ranked = rankAssignees(
      candidates.map(toCandidate),
      organisation.routingStrategy,
      conversation.language,
    );
    if (ranked.length === 0) return null;
    // Whoever another router is assigning to right now is passed over for the next in line
    // (SKIP LOCKED: concurrent routers spread over people instead of queueing for one); only
    // when everyone is busy does this router wait, for its first choice. Someone found full
    // under their lock (filled up since the candidates were read) sends the routing back to
    // choose again in a new transaction. So a transaction waits for one person at most and
    // holds nobody else meanwhile: routers never deadlock on each other's people.
    let chosen: RoutingCandidate | undefined;
    for (const candidate of ranked) {
      const verdict = await this.stillTakes(manager, organisation, candidate.id, 'skip_locked');
      if (verdict === 'refused') return { refusedBy: candidate.id };
      if (verdict === 'takes') {
        chosen = candidate;
        break;
      }
    }
    if (!chosen) {
      chosen = ranked[0];
      if ((await this.stillTakes(manager, organisation, chosen.id, 'wait')) !== 'takes')
        return { refusedBy: chosen.id };
    }
    await this.writer.assign(
      manager,
      conversation,
      chosen.id,
      null,
      `routed (${organisation.routingStrategy})`,
      now,
    );
    return { assigned: conversation.id };
  }

  /** Active, available people of the routing pool, with their open conversations counted. */
  private async candidates(
    manager: EntityManager,
    organisationId: string,
  ): Promise<CandidateRow[]> {
    const rows = await manager
      .createQueryBuilder(UserEntity, 'u')
      .addSelect(
        `(SELECT count(*) FROM conversations c
           WHERE c.organisation_id = u.organisation_id AND c.assignee_id = u.id
             AND c.status IN ('assigned', 'waiting'))`,
        'load',
      )
      .where('u.organisation_id = :organisationId AND u.active AND u.available', { organisationId })
      .andWhere('u.role IN (:...roles)', { roles: ROUTING_POOL_ROLES })
      .getRawAndEntities();
    return rows.entities.map((user, index) =>
      Object.assign(user, { load: Number((rows.raw[index] as { load: string }).load) }),
    );
  }

  /**
   * Locks the person and judges again on what the lock shows: still in the pool, eligible,
   * available, and with room (the count that decides is taken under the lock). A deactivation,
   * a role change or another router's assignment in the meantime is seen here. `skip_locked`:
   * `busy` at once when another transaction holds them (or they are gone), instead of waiting.
   */
  private async stillTakes(
    manager: EntityManager,
    organisation: OrganisationEntity,
    userId: string,
    whenLocked: 'wait' | 'skip_locked',
  ): Promise<'takes' | 'refused' | 'busy'> {
    const query = manager
      .createQueryBuilder(UserEntity, 'u')
      .setLock('pessimistic_write')
      .where('u.organisation_id = :organisationId AND u.id = :userId', {
        organisationId: organisation.id,
        userId,
      });
    if (whenLocked === 'skip_locked') query.setOnLocked('skip_locked');
    const user = await query.getOne();
    if (!user) return whenLocked === 'skip_locked' ? 'busy' : 'refused';
    if (
      !user.available ||
      !ROUTING_POOL_ROLES.includes(user.role) ||
      !isEligible(user, organisation)
    ) {
      return 'refused';
    }
    const [{ load }] = (await manager.query(
      `SELECT count(*)::int AS load FROM conversations
        WHERE organisation_id = $1 AND assignee_id = $2 AND status IN ('assigned', 'waiting')`,
      [organisation.id, userId],
    )) as [{ load: number }];
    return load < user.capacity ? 'takes' : 'refused';
  }
}

const toCandidate = (user: CandidateRow): RoutingCandidate => ({
  id: user.id,
  load: user.load,
  capacity: user.capacity,
  languages: user.languages,
  lastAssignedAt: user.lastAssignedAt,
});
