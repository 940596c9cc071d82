import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditLogService } from '@toonbank/audit';
import { ConversationsRepository, presentReply, ReplyEvents } from '@toonbank/conversations';
import type {
  ConversationEntity,
  OrganisationEntity,
  ReplyEntity,
  UserEntity,
} from '@toonbank/database';
import { ApiError, inTransaction, type Principal } from '@toonbank/platform';
import { mayOverrideTone } from '@toonbank/policy';
import { AuditAction, ERASED_TEXT, ErrorCode, type ReplyDto } from '@toonbank/shared';
import {
  hasToneErrors,
  TemplatesRepository,
  ToneJudge,
  ToneProfilesRepository,
  toneViolations,
} from '@toonbank/templates';
import { DataSource, type EntityManager } from 'typeorm';
import { OutboundQueue } from './outbound-queue';
import { RepliesRepository } from './replies.repository';
import { judgeAuthor, judgeTone } from './reply-judgement';
import { ReplyNotifications } from './reply-notifications';

/**
 * `POST /api/replies/:id/retry` (team leads and admins): a new attempt of a failed reply that
 * never reached the channel (`failure: not_sent`) — the same reply, its text and its key, with a
 * job of its own. The stored reply is judged again as a new reply by its author would be judged
 * now (README, "How a reply goes out"), on rows locked in the lock order (the organisation
 * shared, the conversation, the author, the reply), so that a maturity, policy, tone or role
 * change at the same moment is either waited for or waits; of two retries at once exactly one
 * takes it and the other finds it no longer failed (409).
 */
@Injectable()
export class ReplyRetries {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly conversations: ConversationsRepository,
    private readonly replies: RepliesRepository,
    private readonly templates: TemplatesRepository,
    private readonly profiles: ToneProfilesRepository,
    private readonly judge: ToneJudge,
    private readonly audit: AuditLogService,
    private readonly outbound: OutboundQueue,
    private readonly replyEvents: ReplyEvents,
    private readonly notifications: ReplyNotifications,
  ) {}

  async retry(principal: Principal, id: string): Promise<ReplyDto> {
    const organisationId = principal.organisation.id;
    const { reply, author } = await inTransaction(this.db, async (manager) => {
      // README, "Lock order": the organisation shared, the conversation, the author, the reply.
      const organisation = await this.conversations.lockOrganisation(manager, organisationId);
      const seen = await this.replies.find(organisationId, id, manager);
      if (!seen) throw ApiError.notFound('The reply');
      const conversation = await this.conversations.lock(
        manager,
        organisationId,
        seen.conversationId,
      );
      const author = await this.conversations.lockUser(manager, organisationId, seen.authorId);
      const locked = await this.replies.lock(manager, organisationId, id);
      if (!locked || !conversation || !author) throw ApiError.notFound('The reply');
      this.mayRetry(locked);
      const status = await this.judgeAgain(manager, organisation, conversation, author, locked);
      const before = { status: locked.status, failure: locked.failure, error: locked.error };
      locked.status = status;
      locked.failure = null;
      locked.error = null;
      // Nothing of the failed attempts reached the channel: the next one is a first attempt.
      locked.sendStartedAt = null;
      locked.mayHaveArrived = false;
      // A job of its own, also when it waits for approval first (the approval sends this one).
      locked.retryCount += 1;
      const saved = await manager.save(locked);
      await this.audit.record(manager, {
        organisationId,
        actorId: principal.user.id,
        action: AuditAction.ReplyRetried,
        subjectType: 'reply',
        subjectId: saved.id,
        before,
        after: { status, retry: saved.retryCount, authorId: saved.authorId },
      });
      return { reply: saved, author };
    });
    this.replyEvents.emit(reply);
    if (reply.status === 'queued') {
      await this.outbound.send(organisationId, reply.id, reply.retryCount);
    } else {
      await this.notifications.approvalNeeded(reply, author.name);
    }
    return presentReply(reply);
  }

  /** The reply's own state: 409 `conflict` unless failed; 409 `reply.not_retryable` when it may have reached the channel. */
  private mayRetry(reply: ReplyEntity): void {
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
  }

  /**
   * The stored reply judged as a new reply by its author now: role and assignment, eligibility
   * and the template policy (403), the conversation's state (409), the tone against the current
   * profile (422 `tone.violations`), then approval. A tone override given when it was written
   * holds only for the rules it overrode, and only while the author may still override; an
   * approval given before it failed holds (SPEC.md §2: approved replies are sent). Answers the
   * status it goes to: `queued`, or `pending_approval` where the author's replies now wait for
   * a team lead and this one was never approved.
   */
  private async judgeAgain(
    manager: EntityManager,
    organisation: OrganisationEntity,
    conversation: ConversationEntity,
    author: UserEntity,
    reply: ReplyEntity,
  ): Promise<'queued' | 'pending_approval'> {
    const can = judgeAuthor(
      organisation,
      conversation,
      author,
      reply.templateId !== null,
      new Date(),
      'author',
    );
    const view = await this.conversations.findView(organisation.id, conversation.id, manager);
    if (!view) throw ApiError.notFound('The reply');
    const template = reply.templateId
      ? await this.templates.find(organisation.id, reply.templateId, manager)
      : null;
    const findings = await judgeTone({ profiles: this.profiles, judge: this.judge }, manager, {
      text: reply.text,
      view,
      author,
      isPrivate: reply.private,
      template,
    });
    if (hasToneErrors(findings)) {
      const overridden = new Set(
        reply.overrideReason === null
          ? []
          : reply.toneFindings.filter((f) => f.severity === 'error').map((f) => f.ruleId),
      );
      const stillOverridden =
        mayOverrideTone(author) &&
        findings.every((f) => f.severity !== 'error' || overridden.has(f.ruleId));
      if (!stillOverridden) throw toneViolations(findings, 'The reply');
    }
    reply.toneFindings = findings;
    return can.approval && reply.approvedBy === null ? 'pending_approval' : 'queued';
  }
}
