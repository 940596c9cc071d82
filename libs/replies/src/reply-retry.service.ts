import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditLogService } from '@toonbank/audit';
import { ConversationsRepository, presentReply, ReplyEvents } from '@toonbank/conversations';
import type { ReplyEntity } from '@toonbank/database';
import { ApiError, inTransaction, type Principal } from '@toonbank/platform';
import { AuditAction, ERASED_TEXT, ErrorCode, type ReplyDto } from '@toonbank/shared';
import { DataSource } from 'typeorm';
import { OutboundQueue } from './outbound-queue';
import { RepliesRepository } from './replies.repository';

/**
 * `POST /api/replies/:id/retry` (team leads and admins): a new attempt of a failed reply that
 * never reached the channel (`failure: not_sent`) — the same reply, its text and its key, queued
 * again with a job of its own. Judged on the locked rows, so that of two retries at once exactly
 * one queues it and the other finds it queued (409).
 */
@Injectable()
export class ReplyRetries {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly conversations: ConversationsRepository,
    private readonly replies: RepliesRepository,
    private readonly audit: AuditLogService,
    private readonly outbound: OutboundQueue,
    private readonly replyEvents: ReplyEvents,
  ) {}

  async retry(principal: Principal, id: string): Promise<ReplyDto> {
    const organisationId = principal.organisation.id;
    const reply = await inTransaction(this.db, async (manager) => {
      // The conversation before its reply, as every writer locks them (README, "Lock order").
      const seen = await this.replies.find(organisationId, id, manager);
      if (!seen) throw ApiError.notFound('The reply');
      const conversation = await this.conversations.lock(
        manager,
        organisationId,
        seen.conversationId,
      );
      const locked = await this.replies.lock(manager, organisationId, id);
      if (!locked || !conversation) throw ApiError.notFound('The reply');
      this.mayRetry(locked, conversation.status);
      const before = { status: locked.status, failure: locked.failure, error: locked.error };
      locked.status = 'queued';
      locked.failure = null;
      locked.error = null;
      // Nothing of the failed attempts reached the channel: the next one is a first attempt.
      locked.sendStartedAt = null;
      locked.mayHaveArrived = false;
      locked.retryCount += 1;
      const saved = await manager.save(locked);
      await this.audit.record(manager, {
        organisationId,
        actorId: principal.user.id,
        action: AuditAction.ReplyRetried,
        subjectType: 'reply',
        subjectId: saved.id,
        before,
        after: { status: 'queued', retry: saved.retryCount, authorId: saved.authorId },
      });
      return saved;
    });
    await this.outbound.send(organisationId, reply.id, reply.retryCount);
    this.replyEvents.emit(reply);
    return presentReply(reply);
  }

  /** 409 `conflict` unless failed; 409 `reply.not_retryable` when it may have reached the channel. */
  private mayRetry(reply: ReplyEntity, conversationStatus: string): void {
    if (reply.status !== 'failed') {
      throw ApiError.conflict(`The reply is ${reply.status}, not failed.`);
    }
    if (reply.failure !== 'not_sent') {
      throw new ApiError(
        409,
        ErrorCode.ReplyNotRetryable,
        'The reply may have reached the channel: check there before writing again.',
        { failure: reply.failure, externalUrl: reply.externalUrl },
      );
    }
    if (reply.text === ERASED_TEXT) {
      throw ApiError.conflict('The customer was erased: the reply has no text left to send.');
    }
    if (conversationStatus === 'closed') {
      throw ApiError.conflict('The conversation was closed; reopen it before retrying.');
    }
  }
}
