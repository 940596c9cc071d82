import { Injectable } from '@nestjs/common';
import { AuditLogService } from '@toonbank/audit';
import { ConversationEntity, UserEntity } from '@toonbank/database';
import { AuditAction } from '@toonbank/shared';
import type { EntityManager } from 'typeorm';

/**
 * The one place that changes who holds a conversation, always on a row locked by the caller
 * and always with its audit entry, in the caller's transaction.
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
}
