import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  AssignmentWriter,
  ConversationEvents,
  ConversationsRepository,
  RoutingTrigger,
  WorkRelease,
} from '@toonbank/conversations';
import { EventPublisher, inTransaction } from '@toonbank/platform';
import { isEligible, readsInbox, TRAINING_VALID_DAYS } from '@toonbank/policy';
import { ConversationEntity } from '@toonbank/database';
import { DataSource } from 'typeorm';

/** Conversations handed back per sweep at most; the next sweep takes the rest. */
export const HAND_BACK_BATCH = 500;

/**
 * Every minute (a BullMQ job scheduler in the worker):
 * - employees whose yearly training lapsed hand back their work;
 * - hand-back (SPEC.md §4): an `assigned` conversation whose assignee has not acted on it
 *   since it was assigned, by the organisation's hand-back time after the later of the SLA's
 *   half-way point and the assignment, goes back to routing (audited, pushed live);
 * - every organisation with conversations in its unassigned queue is routed again, so that
 *   a trigger lost to a Redis outage or a crash costs a minute, never a conversation.
 */
@Injectable()
export class RoutingSweep {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly writer: AssignmentWriter,
    private readonly conversationEvents: ConversationEvents,
    private readonly routing: RoutingTrigger,
    private readonly conversations: ConversationsRepository,
    private readonly workRelease: WorkRelease,
    private readonly events: EventPublisher,
  ) {}

  async sweep(
    now = new Date(),
  ): Promise<{ handedBack: number; lapsed: number; organisationsRouted: number }> {
    const lapsed = await this.releaseLapsedTraining(now);
    const handedBack = await this.handBackUntouched(now);
    const waiting = (await this.db.query(
      `SELECT DISTINCT organisation_id AS id FROM conversations WHERE status = 'unassigned'`,
    )) as { id: string }[];
    for (const { id } of waiting) await this.routing.routeQueue(id, 'sweep');
    return { handedBack: handedBack.length, lapsed, organisationsRouted: waiting.length };
  }

  /**
   * Training is valid for a year: an employee whose training lapsed may no longer respond,
   * and the work they still hold goes back, as on any change that ends eligibility.
   */
  private async releaseLapsedTraining(now: Date): Promise<number> {
    const holders = (await this.db.query(
      `SELECT u.id, u.organisation_id FROM users u
        WHERE u.role = 'employee' AND u.active AND u.trained_at IS NOT NULL
          AND u.trained_at < $1::timestamptz - make_interval(days => $2)
          AND (EXISTS (SELECT 1 FROM conversations c WHERE c.organisation_id = u.organisation_id
                         AND c.assignee_id = u.id AND c.status IN ('assigned', 'waiting'))
               OR EXISTS (SELECT 1 FROM replies r WHERE r.organisation_id = u.organisation_id
                         AND r.author_id = u.id AND r.status = 'pending_approval'))
        LIMIT 100`,
      [now, TRAINING_VALID_DAYS],
    )) as { id: string; organisation_id: string }[];
    let released = 0;
    for (const holder of holders) {
      const outcome = await inTransaction(this.db, async (manager) => {
        const organisation = await this.workRelease.lockForRelease(
          manager,
          holder.organisation_id,
          holder.id,
        );
        const user = await this.conversations.lockUser(manager, holder.organisation_id, holder.id);
        if (!user || isEligible(user, organisation, now)) return null;
        const work = await this.workRelease.release(
          manager,
          organisation.id,
          user.id,
          null,
          'training lapsed',
        );
        return { organisation, user, work };
      });
      if (!outcome) continue;
      released += 1;
      this.events.setInboxMember(
        outcome.organisation.id,
        outcome.user.id,
        readsInbox(outcome.user, outcome.organisation, now),
      );
      await this.workRelease.announce(outcome.organisation.id, outcome.work);
    }
    return released;
  }

  private async handBackUntouched(now: Date): Promise<ConversationEntity[]> {
    const handedBack = await inTransaction(this.db, async (manager) => {
      const due = await manager
        .createQueryBuilder(ConversationEntity, 'c')
        .innerJoin('organisations', 'o', 'o.id = c.organisation_id')
        .setLock('for_no_key_update', undefined, ['c'])
        .setOnLocked('skip_locked')
        .where(
          "c.status = 'assigned' AND c.first_response_at IS NULL AND c.assigned_at IS NOT NULL",
        )
        .andWhere('(c.last_activity_at IS NULL OR c.last_activity_at <= c.assigned_at)')
        .andWhere(
          `CAST(:now AS timestamptz) >= GREATEST(
             COALESCE(c.sla_due_at - (c.sla_due_at - c.created_at) / 2, c.assigned_at), c.assigned_at
           ) + make_interval(mins => o.hand_back_minutes)`,
          { now },
        )
        .orderBy('c.assigned_at', 'ASC')
        .limit(HAND_BACK_BATCH)
        .getMany();
      for (const conversation of due) {
        await this.writer.unassign(
          manager,
          conversation,
          null,
          'untouched past the hand-back time',
        );
      }
      return due;
    });
    const byOrganisation = new Map<string, string[]>();
    for (const c of handedBack)
      byOrganisation.set(c.organisationId, [...(byOrganisation.get(c.organisationId) ?? []), c.id]);
    for (const [organisationId, ids] of byOrganisation) {
      await this.conversationEvents.updated(organisationId, ids);
    }
    return handedBack;
  }
}
