import { Injectable } from '@nestjs/common';
import { AuditLogService } from '@toonbank/audit';
import type { ConversationEntity, OrganisationEntity } from '@toonbank/database';
import { isEligible } from '@toonbank/policy';
import { AuditAction } from '@toonbank/shared';
import type { EntityManager } from 'typeorm';
import { ConversationsRepository } from './conversations.repository';

/** Where a reopened conversation went: back to whoever held it, or to routing. */
export type Reopened = 'holder' | 'routing';

/**
 * The one place that moves a conversation between open, waiting and closed, and flags its
 * SLA breach (which moves it up the queue), on a row locked by the caller, in the caller's
 * transaction (a hand-over is AssignmentWriter's).
 */
@Injectable()
export class ConversationStatusWriter {
  constructor(
    private readonly conversations: ConversationsRepository,
    private readonly audit: AuditLogService,
  ) {}

  /** Closed, with its audit entry. Closing keeps the assignee. */
  async close(
    manager: EntityManager,
    conversation: ConversationEntity,
    actorId: string,
    reason: string,
  ): Promise<void> {
    const before = { status: conversation.status };
    conversation.status = 'closed';
    conversation.closedAt = new Date();
    await manager.save(conversation);
    await this.audit.record(manager, {
      organisationId: conversation.organisationId,
      actorId,
      action: AuditAction.ConversationClosed,
      subjectType: 'conversation',
      subjectId: conversation.id,
      before,
      after: { status: 'closed', assigneeId: conversation.assigneeId },
      reason,
    });
  }

  /**
   * A closed conversation opens again: back to the previous assignee when they are still
   * eligible and available, else to the queue. By hand and by the ingest (a new message).
   */
  async reopen(
    manager: EntityManager,
    organisation: OrganisationEntity,
    conversation: ConversationEntity,
    actorId: string | null,
  ): Promise<Reopened> {
    // Locked, as everyone who assigns does: a deactivation or role change in flight is seen.
    const holder = conversation.assigneeId
      ? await this.conversations.lockUser(manager, organisation.id, conversation.assigneeId)
      : null;
    const backToHolder = holder !== null && holder.available && isEligible(holder, organisation);
    conversation.status = backToHolder ? 'assigned' : 'unassigned';
    conversation.closedAt = null;
    if (!backToHolder) {
      conversation.previousAssigneeId = conversation.assigneeId ?? conversation.previousAssigneeId;
      conversation.assigneeId = null;
      conversation.assignedAt = null;
    }
    await manager.save(conversation);
    await this.audit.record(manager, {
      organisationId: conversation.organisationId,
      actorId,
      action: AuditAction.ConversationReopened,
      subjectType: 'conversation',
      subjectId: conversation.id,
      before: { status: 'closed' },
      after: { status: conversation.status, assigneeId: conversation.assigneeId },
      reason: backToHolder ? 'back to the previous assignee' : 'to routing',
    });
    return backToHolder ? 'holder' : 'routing';
  }

  /**
   * A reply went out at `at`: the first response is noted, an open conversation now waits on
   * the customer (a closed one stays closed), and the reply is its latest message.
   */
  async replied(
    manager: EntityManager,
    organisationId: string,
    conversationId: string,
    at: Date,
  ): Promise<void> {
    await manager.query(
      `UPDATE conversations
          SET first_response_at = COALESCE(first_response_at, $3),
              status = CASE WHEN status = 'closed' THEN status ELSE 'waiting' END,
              last_message_at = GREATEST(last_message_at, $3), updated_at = now()
        WHERE organisation_id = $1 AND id = $2`,
      [organisationId, conversationId, at],
    );
  }

  /** The first response is late: flagged, with its audit entry (the caller judged it due). */
  async flagSlaBreach(manager: EntityManager, conversation: ConversationEntity): Promise<void> {
    conversation.slaBreached = true;
    await manager.save(conversation);
    await this.audit.record(manager, {
      organisationId: conversation.organisationId,
      actorId: null,
      action: AuditAction.ConversationSlaBreached,
      subjectType: 'conversation',
      subjectId: conversation.id,
      before: { slaBreached: false },
      after: { slaBreached: true, slaDueAt: conversation.slaDueAt?.toISOString() },
    });
  }
}
