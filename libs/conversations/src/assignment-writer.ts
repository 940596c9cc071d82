import { Injectable } from '@nestjs/common';
import { AuditLogService } from '@toonbank/audit';
import { ConversationEntity, UserEntity } from '@toonbank/database';
import { AuditAction } from '@toonbank/shared';
import type { EntityManager } from 'typeorm';

/** One conversation routing gives to someone, with that person's new turn. */
export interface RoutedAssignment {
  conversationId: string;
  assigneeId: string;
  /** The assignee's last turn, in microseconds since the epoch. */
  atMicros: number;
}

/**
 * The one place that changes who holds a conversation, always on rows locked by the caller,
 * in the caller's transaction, one at a time or a batch per statement.
 */
@Injectable()
export class AssignmentWriter {
  constructor(private readonly audit: AuditLogService) {}

  /** Gives the conversation to a user: `assigned`, or still `waiting` when it was waiting. */
  async assign(
    manager: EntityManager,
    conversation: ConversationEntity,
    userId: string,
    actorId: string | null,
    reason: string,
    now = new Date(),
  ): Promise<void> {
    const before = { assigneeId: conversation.assigneeId, status: conversation.status };
    conversation.previousAssigneeId = conversation.assigneeId ?? conversation.previousAssigneeId;
    conversation.assigneeId = userId;
    conversation.status = conversation.status === 'waiting' ? 'waiting' : 'assigned';
    conversation.assignedAt = now;
    conversation.lastActivityAt = now;
    await manager.save(conversation);
    await manager.update(
      UserEntity,
      { organisationId: conversation.organisationId, id: userId },
      { lastAssignedAt: now },
    );
    await this.audit.record(manager, {
      organisationId: conversation.organisationId,
      actorId,
      action: AuditAction.ConversationAssigned,
      subjectType: 'conversation',
      subjectId: conversation.id,
      before,
      after: { assigneeId: userId, status: conversation.status },
      reason,
    });
  }

  /** The assignee is at work on it (a reply): not handed back for inactivity meanwhile. */
  async markActive(
    manager: EntityManager,
    conversation: ConversationEntity,
    now: Date,
  ): Promise<void> {
    conversation.lastActivityAt = now;
    await manager.save(conversation);
  }

  /** Back to the unassigned queue; the previous assignee is remembered. */
  async unassign(
    manager: EntityManager,
    conversation: ConversationEntity,
    actorId: string | null,
    reason: string,
  ): Promise<void> {
    const before = { assigneeId: conversation.assigneeId, status: conversation.status };
    conversation.previousAssigneeId = conversation.assigneeId ?? conversation.previousAssigneeId;
    conversation.assigneeId = null;
    conversation.assignedAt = null;
    conversation.status = 'unassigned';
    await manager.save(conversation);
    await this.audit.record(manager, {
      organisationId: conversation.organisationId,
      actorId,
      action: AuditAction.ConversationUnassigned,
      subjectType: 'conversation',
      subjectId: conversation.id,
      before,
      after: { assigneeId: null, status: 'unassigned' },
      reason,
    });
  }

  /**
   * Routing's batch (unassigned conversations the caller locked, to people it holds), as
   * `assign` writes one: the conversations and the people's last turns in one statement, the
   * audit entries in another.
   */
  async assignRouted(
    manager: EntityManager,
    organisationId: string,
    assignments: readonly RoutedAssignment[],
    reason: string,
  ): Promise<void> {
    const at = "timestamptz 'epoch' + v.at_us * interval '1 microsecond'";
    const lastTurns = new Map(assignments.map((a) => [a.assigneeId, a.atMicros]));
    await manager.query(
      `WITH assigned AS (
         UPDATE conversations c
            SET status = 'assigned', assignee_id = v.assignee_id,
                previous_assignee_id = COALESCE(c.assignee_id, c.previous_assignee_id),
                assigned_at = CURRENT_TIMESTAMP, last_activity_at = CURRENT_TIMESTAMP,
                updated_at = CURRENT_TIMESTAMP
           FROM unnest($2::uuid[], $3::uuid[]) AS v(id, assignee_id)
          WHERE c.organisation_id = $1 AND c.id = v.id)
       UPDATE users u SET last_assigned_at = ${at}, updated_at = CURRENT_TIMESTAMP
         FROM unnest($4::uuid[], $5::bigint[]) AS v(id, at_us)
        WHERE u.organisation_id = $1 AND u.id = v.id`,
      [
        organisationId,
        assignments.map((a) => a.conversationId),
        assignments.map((a) => a.assigneeId),
        [...lastTurns.keys()],
        [...lastTurns.values()],
      ],
    );
    await this.audit.recordMany(
      manager,
      assignments.map((a) => ({
        organisationId,
        actorId: null,
        action: AuditAction.ConversationAssigned,
        subjectType: 'conversation',
        subjectId: a.conversationId,
        before: { assigneeId: null, status: 'unassigned' },
        after: { assigneeId: a.assigneeId, status: 'assigned' },
        reason,
      })),
    );
  }

  /**
   * Everything someone holds in one of these statuses back to the queue, in one statement;
   * the ids it returned. The caller records the audit entries (with its own, in one insert).
   */
  returnToQueue(
    manager: EntityManager,
    organisationId: string,
    userId: string,
    statuses: readonly string[],
  ): Promise<{ id: string }[]> {
    return manager
      .query(
        `UPDATE conversations
            SET status = 'unassigned', previous_assignee_id = assignee_id, assignee_id = NULL,
                assigned_at = NULL, updated_at = now()
          WHERE organisation_id = $1 AND assignee_id = $2 AND status = ANY($3)
          RETURNING id`,
        [organisationId, userId, statuses],
      )
      .then(([rows]: [{ id: string }[]]) => rows);
  }
}
