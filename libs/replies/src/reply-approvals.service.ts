import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditLogService } from '@toonbank/audit';
import { ConversationsRepository, presentReply, ReplyEvents } from '@toonbank/conversations';
import { ConversationEntity, UserEntity, type ReplyEntity } from '@toonbank/database';
import { ApiError, EventPublisher, inTransaction, type Principal } from '@toonbank/platform';
import { mayApprove } from '@toonbank/policy';
import { AuditAction, type ReplyDto } from '@toonbank/shared';
import { presentUser } from '@toonbank/users';
import { DataSource, type EntityManager } from 'typeorm';
import { OutboundQueue } from './outbound-queue';
import { RepliesRepository } from './replies.repository';
import { ReplyNotifications } from './reply-notifications';

/**
 * The four-eyes rule (SPEC.md §2): a team lead or admin approves or rejects someone else's
 * pending reply. Approvals climb the author's trust ladder; a rejection resets it.
 */
@Injectable()
export class ReplyApprovals {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly conversations: ConversationsRepository,
    private readonly replies: RepliesRepository,
    private readonly audit: AuditLogService,
    private readonly outbound: OutboundQueue,
    private readonly replyEvents: ReplyEvents,
    private readonly notifications: ReplyNotifications,
    private readonly events: EventPublisher,
  ) {}

  async approve(principal: Principal, id: string): Promise<ReplyDto> {
    const { reply, ladderChanged } = await this.decide(principal, id, async (manager, reply) => {
      const conversation = await manager.findOneBy(ConversationEntity, {
        organisationId: reply.organisationId,
        id: reply.conversationId,
      });
      if (conversation?.status === 'closed') {
        throw ApiError.conflict('The conversation was closed; reopen it before approving.');
      }
      reply.status = 'queued';
      reply.approvedBy = principal.user.id;
      reply.approvedAt = new Date();
      await this.climbLadder(manager, reply.organisationId, reply.authorId);
      await this.record(manager, principal, reply, AuditAction.ReplyApproved, null);
      return true;
    });
    // A retried reply that waited for approval goes out with its retry's own job.
    await this.outbound.send(reply.organisationId, reply.id, reply.retryCount);
    if (ladderChanged) await this.announceAuthor(principal, reply.authorId);
    return presentReply(reply);
  }

  async reject(principal: Principal, id: string, comment: string): Promise<ReplyDto> {
    const { reply, ladderChanged } = await this.decide(principal, id, async (manager, reply) => {
      reply.status = 'rejected';
      reply.rejectedBy = principal.user.id;
      reply.rejectionComment = comment.trim();
      const reset: [{ id: string }[], number] = await manager.query(
        `UPDATE users SET approvals_earned = 0, updated_at = now()
          WHERE organisation_id = $1 AND id = $2 AND approvals_earned <> 0 RETURNING id`,
        [reply.organisationId, reply.authorId],
      );
      await this.record(manager, principal, reply, AuditAction.ReplyRejected, comment.trim());
      return reset[0].length > 0;
    });
    this.notifications.rejected(reply, reply.rejectionComment ?? '', principal.user.name);
    if (ladderChanged) await this.announceAuthor(principal, reply.authorId);
    return presentReply(reply);
  }

  /** Locks the reply and judges: 404, 403 for one's own, 409 unless pending; then `change`. */
  private async decide(
    principal: Principal,
    id: string,
    change: (manager: EntityManager, reply: ReplyEntity) => Promise<boolean>,
  ): Promise<{ reply: ReplyEntity; ladderChanged: boolean }> {
    const organisationId = principal.organisation.id;
    const outcome = await inTransaction(this.db, async (manager) => {
      await this.conversations.lockOrganisation(manager, organisationId);
      // Locks in the order every writer takes them (conversation, user, reply), never the reply
      // first: a deactivation releasing the author's work at the same moment must not deadlock.
      const seen = await this.replies.find(organisationId, id, manager);
      if (!seen) throw ApiError.notFound('The reply');
      await this.conversations.lock(manager, organisationId, seen.conversationId);
      await this.conversations.lockUser(manager, organisationId, seen.authorId);
      const reply = await this.replies.lock(manager, organisationId, id);
      if (!reply) throw ApiError.notFound('The reply');
      if (!mayApprove(principal.user, reply.authorId)) {
        throw ApiError.forbidden('Someone else approves or rejects your own reply (four eyes).');
      }
      if (reply.status !== 'pending_approval') {
        throw ApiError.conflict(`The reply is ${reply.status}, not waiting for approval.`);
      }
      const ladderChanged = await change(manager, reply);
      return { reply: await manager.save(reply), ladderChanged };
    });
    this.replyEvents.emit(outcome.reply);
    return outcome;
  }

  /** One more approval in a row on the author's trust ladder. */
  private async climbLadder(
    manager: EntityManager,
    organisationId: string,
    authorId: string,
  ): Promise<void> {
    await manager.query(
      `UPDATE users SET approvals_earned = approvals_earned + 1, updated_at = now()
        WHERE organisation_id = $1 AND id = $2`,
      [organisationId, authorId],
    );
  }

  /** The author's trust ladder moved: `user.updated` to them. */
  private async announceAuthor(principal: Principal, authorId: string): Promise<void> {
    const author = await this.db.manager.findOneBy(UserEntity, {
      organisationId: principal.organisation.id,
      id: authorId,
    });
    if (author)
      this.events.toUser(authorId, 'user.updated', presentUser(author, principal.organisation));
  }

  private record(
    manager: EntityManager,
    principal: Principal,
    reply: ReplyEntity,
    action: AuditAction,
    reason: string | null,
  ) {
    return this.audit.record(manager, {
      organisationId: reply.organisationId,
      actorId: principal.user.id,
      action,
      subjectType: 'reply',
      subjectId: reply.id,
      before: { status: 'pending_approval' },
      after: { status: reply.status, authorId: reply.authorId },
      reason,
    });
  }
}
