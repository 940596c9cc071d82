import { AuditLogService } from '@toonbank/audit';
import { Injectable } from '@nestjs/common';
import { AssignmentWriter } from './assignment-writer';
import { ConversationEvents } from './conversation-events';
import { ConversationsRepository } from './conversations.repository';
import { ReplyEvents } from './reply-events';
import { RoutingTrigger } from './routing-trigger';
import type { OrganisationEntity } from '@toonbank/database';
import { AuditAction } from '@toonbank/shared';
import type { EntityManager } from 'typeorm';

export interface ReleasedWork {
  conversationIds: string[];
  replyIds: string[];
}

/**
 * When someone may no longer respond (deactivated, or a role or training change made them
 * ineligible), their open conversations go back to the queue and their replies waiting for
 * approval are withdrawn, in the transaction of the change (SPEC.md §2).
 */
@Injectable()
export class WorkRelease {
  constructor(
    private readonly audit: AuditLogService,
    private readonly writer: AssignmentWriter,
    private readonly events: ConversationEvents,
    private readonly routing: RoutingTrigger,
    private readonly replyEvents: ReplyEvents,
    private readonly conversations: ConversationsRepository,
  ) {}

  /**
   * What a change that may take someone's right to respond away (a role, training or active
   * flag, going unavailable, a lapsed training) locks before the person, in the README's lock
   * order: the organisation (shared, as every assignment takes it: a maturity or policy change
   * is waited for, or waits), then the conversations the person holds, in id order. Answers
   * the organisation as it is now, to judge eligibility by.
   */
  async lockForRelease(
    manager: EntityManager,
    organisationId: string,
    userId: string,
  ): Promise<OrganisationEntity> {
    const organisation = await this.conversations.lockOrganisation(manager, organisationId);
    await manager.query(
      `SELECT id FROM conversations
        WHERE organisation_id = $1 AND assignee_id = $2 AND status IN ('assigned', 'waiting')
        ORDER BY id FOR NO KEY UPDATE`,
      [organisationId, userId],
    );
    return organisation;
  }

  async release(
    manager: EntityManager,
    organisationId: string,
    userId: string,
    actorId: string | null,
    reason: string,
  ): Promise<ReleasedWork> {
    const conversations = await this.writer.returnToQueue(manager, organisationId, userId, [
      'assigned',
      'waiting',
    ]);
    const replies: { id: string }[] = await manager
      .query(
        `UPDATE replies SET status = 'withdrawn', updated_at = now()
        WHERE organisation_id = $1 AND author_id = $2 AND status = 'pending_approval'
        RETURNING id`,
        [organisationId, userId],
      )
      .then(([rows]: [{ id: string }[]]) => rows);

    await this.audit.recordMany(manager, [
      ...conversations.map(({ id }) => ({
        organisationId,
        actorId,
        action: AuditAction.ConversationUnassigned,
        subjectType: 'conversation' as const,
        subjectId: id,
        before: { assigneeId: userId },
        after: { assigneeId: null, status: 'unassigned' },
        reason,
      })),
      ...replies.map(({ id }) => ({
        organisationId,
        actorId,
        action: AuditAction.ReplyWithdrawn,
        subjectType: 'reply' as const,
        subjectId: id,
        before: { status: 'pending_approval' },
        after: { status: 'withdrawn' },
        reason,
      })),
    ]);
    return { conversationIds: conversations.map((c) => c.id), replyIds: replies.map((r) => r.id) };
  }

  /**
   * Someone went unavailable: the conversations still waiting for their first move
   * (`assigned`) go back to routing; those waiting on the customer stay with them.
   */
  async handBackAssigned(
    manager: EntityManager,
    organisationId: string,
    userId: string,
    reason: string,
  ): Promise<ReleasedWork> {
    const conversations = await this.writer.returnToQueue(manager, organisationId, userId, [
      'assigned',
    ]);
    await this.audit.recordMany(
      manager,
      conversations.map(({ id }) => ({
        organisationId,
        actorId: userId,
        action: AuditAction.ConversationUnassigned,
        subjectType: 'conversation' as const,
        subjectId: id,
        before: { assigneeId: userId },
        after: { assigneeId: null, status: 'unassigned' },
        reason,
      })),
    );
    return { conversationIds: conversations.map((c) => c.id), replyIds: [] };
  }

  /** After the commit: push the changes live and route the returned conversations again. */
  async announce(organisationId: string, released: ReleasedWork): Promise<void> {
    await this.replyEvents.updated(organisationId, released.replyIds);
    if (released.conversationIds.length === 0) return;
    await this.events.updated(organisationId, released.conversationIds);
    await this.routing.routeQueue(organisationId, 'conversations returned to the queue');
  }
}
