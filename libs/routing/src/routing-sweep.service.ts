import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AssignmentWriter, ConversationEvents, RoutingTrigger } from '@toonbank/conversations';
import { ConversationEntity } from '@toonbank/database';
import { DataSource } from 'typeorm';

/** Conversations handed back per sweep at most; the next sweep takes the rest. */
export const HAND_BACK_BATCH = 500;

/**
 * Every minute (a BullMQ job scheduler in the worker):
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
    private readonly events: ConversationEvents,
    private readonly routing: RoutingTrigger,
  ) {}

  async sweep(now = new Date()): Promise<{ handedBack: number; organisationsRouted: number }> {
    const handedBack = await this.handBackUntouched(now);
    const waiting = (await this.db.query(
      `SELECT DISTINCT organisation_id AS id FROM conversations WHERE status = 'unassigned'`,
    )) as { id: string }[];
    for (const { id } of waiting) await this.routing.routeQueue(id, 'sweep');
    return { handedBack: handedBack.length, organisationsRouted: waiting.length };
  }

  private async handBackUntouched(now: Date): Promise<ConversationEntity[]> {
    const handedBack = await this.db.transaction(async (manager) => {
      const due = await manager
        .createQueryBuilder(ConversationEntity, 'c')
        .innerJoin('organisations', 'o', 'o.id = c.organisation_id')
        .setLock('pessimistic_write', undefined, ['c'])
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
    for (const [organisationId, ids] of byOrganisation)
      await this.events.updated(organisationId, ids);
    return handedBack;
  }
}
