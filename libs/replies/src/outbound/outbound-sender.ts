import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditLogService } from '@toonbank/audit';
import {
  AuthExpired,
  ChannelError,
  RateLimited,
  Transient,
  type ChannelConnector,
  type OutboundReply,
} from '@toonbank/channels';
import {
  ConversationEvents,
  ConversationStatusWriter,
  presentMessage,
  ReplyEvents,
} from '@toonbank/conversations';
import {
  ConversationEntity,
  MessageEntity,
  type ChannelAccountEntity,
  type ReplyEntity,
} from '@toonbank/database';
import { ChannelAccountsRepository, ChannelSessions } from '@toonbank/channel-accounts';
import { EventPublisher, inTransaction, Metrics } from '@toonbank/platform';
import { AuditAction, type ReplyFailure } from '@toonbank/shared';
import { DataSource, type EntityManager } from 'typeorm';
import { RepliesRepository } from '../replies.repository';
import { isFromCustomer } from '../reply-target';
import { failureOf, mayHaveArrivedAfter, provesNotArrived } from './send-failure';
import { mayRepeatSend } from './repeat-send';

/** What one attempt came to; the processor turns it into BullMQ's terms. */
export type SendOutcome =
  | { kind: 'sent'; externalId: string }
  /** Not `queued` (any more): nothing to do. */
  | { kind: 'skipped'; status: string }
  | { kind: 'failed'; error: string }
  /** Worth another attempt after the queue's backoff. */
  | { kind: 'retry'; error: string }
  /** The channel's rate limit: the same attempt again at `until`. */
  | { kind: 'delay'; until: Date; error: string };

interface Attempt {
  reply: ReplyEntity;
  account: ChannelAccountEntity;
  connector: ChannelConnector;
  outbound: OutboundReply;
  /** An earlier attempt may have reached the channel (`may_have_arrived` before this one). */
  earlierMayHaveArrived: boolean;
}

const AMBIGUOUS =
  'an earlier attempt may have reached the channel, which cannot tell a repeated post apart: check the channel before writing again';

/**
 * Posts a queued reply to its channel, exactly once in effect (SPEC.md §6). Before an
 * attempt, the moment it starts is committed. On a channel without idempotency, a reply
 * whose earlier attempt may have arrived (a worker killed mid-send, a timeout after the
 * request left) is never posted blindly again: it fails with that reason. Channels with
 * idempotency (Mastodon's Idempotency-Key, Bluesky's record key) get the same key on every
 * attempt. The external id, the outbound message and the conversation's first response land
 * in one transaction.
 */
@Injectable()
export class OutboundSender {
  private readonly logger = new Logger(OutboundSender.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly replies: RepliesRepository,
    private readonly accounts: ChannelAccountsRepository,
    private readonly sessions: ChannelSessions,
    private readonly audit: AuditLogService,
    private readonly replyEvents: ReplyEvents,
    private readonly conversationEvents: ConversationEvents,
    private readonly conversationStatus: ConversationStatusWriter,
    private readonly events: EventPublisher,
    private readonly metrics: Metrics,
  ) {}

  /** `lastAttempt`: a failure worth retrying fails the reply instead. */
  async send(organisationId: string, replyId: string, lastAttempt: boolean): Promise<SendOutcome> {
    const started = await this.begin(organisationId, replyId);
    if ('outcome' in started) {
      if (started.outcome.kind === 'failed')
        await this.replyEvents.updated(organisationId, [replyId]);
      return started.outcome;
    }
    const { reply, account, connector, outbound } = started;
    let externalId: string;
    try {
      // A send the channel refused as TokenExpired was not posted: it goes again once, renewed.
      ({ externalId } = await this.sessions.withSession(account, new Date(), (connected) =>
        connector.send(connected, outbound, this.sessions.http),
      ));
    } catch (error) {
      if (!(error instanceof ChannelError)) throw error; // ours, not the channel's: retried as it stands
      return this.afterFailure(started, error, lastAttempt);
    }
    await this.recordSent(reply, account, externalId, this.externalUrl(started, externalId));
    return { kind: 'sent', externalId };
  }

  /** Locks the reply and commits the start of an attempt, or settles it without one. */
  private begin(
    organisationId: string,
    replyId: string,
  ): Promise<Attempt | { outcome: SendOutcome }> {
    return inTransaction(this.db, async (manager) => {
      const reply = await this.replies.lock(manager, organisationId, replyId);
      if (!reply || reply.status !== 'queued') {
        return { outcome: { kind: 'skipped', status: reply?.status ?? 'missing' } as const };
      }
      const conversation = await manager.findOneBy(ConversationEntity, {
        organisationId,
        id: reply.conversationId,
      });
      const account = conversation
        ? await this.accounts.withCredentials(organisationId, conversation.channelAccountId)
        : null;
      // Nothing is sent on these paths: the failure is what earlier attempts left.
      const earlier: ReplyFailure =
        reply.mayHaveArrived || reply.sendStartedAt ? 'maybe_sent' : 'not_sent';
      if (!conversation || !account) {
        return { outcome: await this.fail(manager, reply, 'the channel was removed', earlier) };
      }
      const connector = this.sessions.connectorFor(account);
      if (
        reply.sendStartedAt &&
        !mayRepeatSend(connector.capabilities, reply.sendStartedAt, new Date())
      ) {
        return { outcome: await this.fail(manager, reply, AMBIGUOUS, 'maybe_sent') };
      }
      const message = await this.answered(manager, reply, conversation);
      if (!message?.externalId) {
        return {
          outcome: await this.fail(
            manager,
            reply,
            'the customer message it answers is gone',
            earlier,
          ),
        };
      }
      reply.inReplyToMessageId = message.id;
      // On an idempotent channel it keeps the first attempt's time: the key's window runs from there.
      if (!reply.sendStartedAt || !connector.capabilities.idempotentSend)
        reply.sendStartedAt = new Date();
      reply.attempts += 1;
      // From here the attempt may reach the channel, until its answer proves otherwise (a crash
      // mid-send leaves it so).
      const earlierMayHaveArrived = earlier === 'maybe_sent';
      reply.mayHaveArrived = true;
      await manager.save(reply);
      const outbound: OutboundReply = {
        replyId: reply.id,
        idempotencyKey: reply.channelIdempotencyKey ?? reply.id,
        text: reply.text,
        private: reply.private,
        inReplyTo: {
          externalId: message.externalId,
          // A direct message goes to the conversation's customer, whoever else wrote in the thread.
          authorExternalId: reply.private
            ? conversation.customerExternalId
            : (message.authorExternalId ?? conversation.customerExternalId),
          authorHandle: reply.private
            ? conversation.customerHandle
            : (message.authorHandle ?? conversation.customerHandle),
          visibility: message.visibility ?? 'public',
          raw: message.raw,
        },
      };
      return { reply, account, connector, outbound, earlierMayHaveArrived };
    });
  }

  /** The new post's public URL (null for a direct message); never fails the recording of a send. */
  private externalUrl(attempt: Attempt, externalId: string): string | null {
    const { reply, account, connector, outbound } = attempt;
    try {
      return connector.externalUrl(
        {
          config: account.config,
          handle: account.handle,
          externalAccountId: account.externalAccountId,
        },
        {
          externalId,
          authorHandle: account.handle,
          visibility: reply.private ? 'direct' : outbound.inReplyTo.visibility,
        },
      );
    } catch (error) {
      this.logger.warn(
        `reply ${reply.id}: no public URL (${error instanceof Error ? error.message : String(error)})`,
      );
      return null;
    }
  }

  /**
   * The message the reply answers: the one stored with it, else the customer's latest; for a
   * private reply only a message of the conversation's customer (a reply written before that
   * rule may name another participant's).
   */
  private async answered(
    manager: EntityManager,
    reply: ReplyEntity,
    conversation: ConversationEntity,
  ): Promise<MessageEntity | null> {
    const stored = reply.inReplyToMessageId
      ? await manager.findOneBy(MessageEntity, {
          organisationId: reply.organisationId,
          id: reply.inReplyToMessageId,
        })
      : null;
    if (stored && (!reply.private || isFromCustomer(stored, conversation))) return stored;
    return this.replies.latestFromCustomer(manager, conversation);
  }

  private async afterFailure(
    { reply, connector, earlierMayHaveArrived }: Attempt,
    error: ChannelError,
    lastAttempt: boolean,
  ): Promise<SendOutcome> {
    const mayHaveArrived = mayHaveArrivedAfter(error);
    // What the reply may have done on the channel so far, this attempt included.
    const anyMayHaveArrived = earlierMayHaveArrived || !provesNotArrived(error);
    if (mayHaveArrived && (!connector.capabilities.idempotentSend || lastAttempt)) {
      return this.settle(reply, (manager, locked) =>
        this.fail(manager, locked, `${AMBIGUOUS} (${error.message})`, 'maybe_sent'),
      );
    }
    if (error instanceof RateLimited || (error instanceof Transient && !lastAttempt)) {
      await this.settle(reply, async (manager, locked) => {
        // Known not to have arrived: the next attempt is not a repeat. (An idempotent channel's
        // attempt that may have arrived keeps its time: the key's window runs from there.)
        if (!mayHaveArrived) locked.sendStartedAt = null;
        locked.mayHaveArrived = anyMayHaveArrived;
        locked.error = error.message.slice(0, 500);
        await manager.save(locked);
        return { kind: 'skipped', status: 'queued' };
      });
      this.logger.warn(`reply ${reply.id}: ${error.message}; trying again`);
      return error instanceof RateLimited
        ? { kind: 'delay', until: error.retryAt, error: error.message }
        : { kind: 'retry', error: error.message };
    }
    const reason =
      error instanceof AuthExpired
        ? `the channel refused the credentials: ${error.message}`
        : error.message;
    return this.settle(reply, (manager, locked) =>
      this.fail(manager, locked, reason, failureOf(earlierMayHaveArrived, error)),
    );
  }

  /** Runs `change` on the reply locked again, if it is still queued. */
  private async settle(
    reply: ReplyEntity,
    change: (manager: EntityManager, locked: ReplyEntity) => Promise<SendOutcome>,
  ): Promise<SendOutcome> {
    const outcome = await inTransaction(this.db, async (manager) => {
      const locked = await this.replies.lock(manager, reply.organisationId, reply.id);
      if (!locked || locked.status !== 'queued') {
        return { kind: 'skipped', status: locked?.status ?? 'missing' } as const;
      }
      return change(manager, locked);
    });
    if (outcome.kind === 'failed') await this.replyEvents.updated(reply.organisationId, [reply.id]);
    return outcome;
  }

  /** `failure`: whether the reply may have reached the channel (send-failure.ts). */
  private async fail(
    manager: EntityManager,
    reply: ReplyEntity,
    reason: string,
    failure: ReplyFailure,
  ): Promise<SendOutcome> {
    reply.status = 'failed';
    reply.error = reason.slice(0, 1000);
    reply.failure = failure;
    reply.mayHaveArrived = failure === 'maybe_sent';
    await manager.save(reply);
    await this.audit.record(manager, {
      organisationId: reply.organisationId,
      actorId: null,
      action: AuditAction.ReplyFailed,
      subjectType: 'reply',
      subjectId: reply.id,
      before: { status: 'queued' },
      after: { status: 'failed', error: reply.error, failure },
    });
    this.logger.warn(`reply ${reply.id} failed: ${reason}`);
    // reply.updated goes out after the commit (settle(), or send() for begin()).
    return { kind: 'failed', error: reply.error };
  }

  /** The reply sent, its message stored, the conversation answered: together or not at all. */
  private async recordSent(
    reply: ReplyEntity,
    account: ChannelAccountEntity,
    externalId: string,
    externalUrl: string | null,
  ): Promise<void> {
    const organisationId = reply.organisationId;
    const message = await inTransaction(this.db, async (manager) => {
      // The conversation before its reply, as approvals and writers lock them (README, "Lock order").
      await manager.query(
        'SELECT id FROM conversations WHERE organisation_id = $1 AND id = $2 FOR NO KEY UPDATE',
        [organisationId, reply.conversationId],
      );
      const locked = await this.replies.lock(manager, organisationId, reply.id);
      if (!locked) throw new Error(`reply ${reply.id} vanished while it was being sent`);
      // An overlapping attempt (a stalled job taken over) recorded it first: nothing to add.
      if (locked.status === 'sent') return null;
      const before = locked.status;
      const now = new Date();
      locked.status = 'sent';
      locked.externalId = externalId;
      locked.externalUrl = externalUrl;
      locked.sentAt = now;
      locked.error = null;
      // It arrived after all (a failure recorded meanwhile, such as an erasure's, was wrong).
      locked.failure = null;
      await manager.save(locked);
      // An INSERT answers its rows (an UPDATE would answer [rows, count]).
      const rows: { id: string }[] = await manager.query(
        `INSERT INTO messages (organisation_id, conversation_id, channel_account_id, direction,
           external_id, in_reply_to_external_id, author_external_id, author_handle, author_user_id,
           text, visibility, reply_id, created_at, external_url)
         SELECT $1, $2, $3, 'outbound', $4, m.external_id, $5, $6, $7, $8, $9, $10, $11, $13
           FROM (SELECT 1) one LEFT JOIN messages m ON m.organisation_id = $1 AND m.id = $12
         ON CONFLICT (channel_account_id, external_id) DO UPDATE
           SET direction = 'outbound', conversation_id = EXCLUDED.conversation_id,
               author_user_id = EXCLUDED.author_user_id, reply_id = EXCLUDED.reply_id,
               external_url = EXCLUDED.external_url
         RETURNING id`,
        [
          organisationId,
          locked.conversationId,
          account.id,
          externalId,
          account.externalAccountId,
          account.handle,
          locked.authorId,
          locked.text,
          locked.private ? 'direct' : 'public',
          locked.id,
          now,
          locked.inReplyToMessageId,
          externalUrl,
        ],
      );
      await this.conversationStatus.replied(manager, organisationId, locked.conversationId, now);
      await this.audit.record(manager, {
        organisationId,
        actorId: null,
        action: AuditAction.ReplySent,
        subjectType: 'reply',
        subjectId: locked.id,
        before: { status: before },
        after: { status: 'sent', externalId, authorId: locked.authorId },
      });
      return manager.findOneByOrFail(MessageEntity, { organisationId, id: rows[0]!.id });
    });
    if (!message) return;
    this.metrics.replySent(account.provider, reply.createdAt, message.createdAt);
    await this.replyEvents.updated(organisationId, [reply.id]);
    this.events.toInbox(organisationId, 'message.created', {
      conversationId: reply.conversationId,
      message: presentMessage(message),
    });
    await this.conversationEvents.updated(organisationId, [reply.conversationId]);
  }
}
