import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditLogService } from '@toonbank/audit';
import {
  ConversationErasureWriter,
  ConversationEvents,
  ConversationsRepository,
  ReplyEvents,
} from '@toonbank/conversations';
import { ApiError, inTransaction, type Principal } from '@toonbank/platform';
import {
  AuditAction,
  ERASED_CUSTOMER_PATTERN,
  ERASED_TEXT,
  type CustomerErasureDto,
} from '@toonbank/shared';
import { DataSource, type EntityManager } from 'typeorm';

/** Why a reply that was still to be sent fails (reply.error). */
export const ERASED_REPLY_ERROR = 'the customer was erased before it was sent';

/**
 * A handle as the ingest stores it (`@name`, `@name@instance`, a Facebook name, `fb:<id>`),
 * compared without surrounding spaces, without leading `@` and case-insensitively: every
 * channel's handles are case-insensitive, and an admin may type `Name` for `@name`.
 */
const handleKey = (sql: string) => `lower(ltrim(btrim(${sql}), '@'))`;

/** What one erasure changed: ids for the events, counts for the answer and the audit. */
interface Erased {
  pseudonym: string;
  messages: number;
  conversationIds: string[];
  /** Conversations of other customers whose preview showed one of the erased messages. */
  previewsCleared: string[];
  outboundMessages: number;
  notes: number;
  replies: { id: string; before: string; after: string }[];
  /** Their items in the channel's quarantine, deleted (they are nothing but raw payload). */
  quarantined: number;
}

const rowsOf = <T>(result: unknown): T[] => (result as [T[], number])[0];

/**
 * The right to erasure (API.md §Audit, reports, privacy): one customer of one channel account
 * loses their words, names and raw payloads; the rows stay, so that the reports keep counting
 * them. In one transaction, under the lock of the channel account that ingest takes too (no
 * batch of that channel is half written meanwhile):
 *
 * - the customer: everyone on the channel account whose handle matches, and — the same person
 *   under an older handle — every message of the channel ids found that way;
 * - their inbound messages: text → ERASED_TEXT, raw payload, attachments, name and public URL
 *   (a Mastodon one names the customer) gone, handle and channel id → the pseudonym (wherever
 *   they are, also in someone else's conversation);
 * - the conversations they started: customer handle and id → the pseudonym, name gone,
 *   preview → ERASED_TEXT, `erased_at` set (ingest never threads into it again);
 * - in those conversations: our outbound messages and notes (they name and quote the
 *   customer) → ERASED_TEXT, raw gone; every reply's text → ERASED_TEXT, its template
 *   variables and tone findings gone; a reply waiting for approval is withdrawn and a queued
 *   one fails (it would be posted to a pseudonym; `maybe_sent` when an attempt had begun), and
 *   is never retried;
 * - another customer's conversation whose preview is an erased message shows ERASED_TEXT;
 * - their items in the channel's quarantine (issue 13) are deleted: they are raw payload only.
 *
 * Ids, times, directions, statuses, assignees, labels and SLA flags stay. The audit entry
 * holds counts and the pseudonym only: the log is append-only and can never be scrubbed.
 */
@Injectable()
export class CustomerErasure {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly conversations: ConversationsRepository,
    private readonly conversationWriter: ConversationErasureWriter,
    private readonly audit: AuditLogService,
    private readonly conversationEvents: ConversationEvents,
    private readonly replyEvents: ReplyEvents,
  ) {}

  async erase(
    principal: Principal,
    channelId: string,
    handle: string,
  ): Promise<CustomerErasureDto> {
    const organisationId = principal.organisation.id;
    const erased = await inTransaction(this.db, async (manager) => {
      // The order every writer takes: the organisation, then the channel account (as ingest).
      await this.conversations.lockOrganisation(manager, organisationId);
      // A removed channel's customers too: its conversations stay.
      const account = (await manager.query(
        `SELECT id FROM channel_accounts WHERE organisation_id = $1 AND id = $2 FOR NO KEY UPDATE`,
        [organisationId, channelId],
      )) as { id: string }[];
      if (account.length === 0) throw ApiError.notFound('The channel');
      const result = await this.eraseLocked(manager, organisationId, channelId, handle);
      await this.record(manager, principal, channelId, result);
      return result;
    });
    await this.conversationEvents.updated(organisationId, [
      ...erased.conversationIds,
      ...erased.previewsCleared,
    ]);
    await this.replyEvents.updated(
      organisationId,
      erased.replies.map((r) => r.id),
    );
    return { messages: erased.messages, conversations: erased.conversationIds.length };
  }

  private async eraseLocked(
    manager: EntityManager,
    organisationId: string,
    channelId: string,
    handle: string,
  ): Promise<Erased> {
    const pseudonym = `erased-${randomBytes(6).toString('hex')}`;
    const erased: Erased = {
      pseudonym,
      messages: 0,
      conversationIds: [],
      previewsCleared: [],
      outboundMessages: 0,
      notes: 0,
      replies: [],
      quarantined: 0,
    };
    // A pseudonym names someone already erased: nothing is left to erase.
    if (ERASED_CUSTOMER_PATTERN.test(handle.trim().replace(/^@+/, '').toLowerCase())) return erased;

    const customerIds = await this.customerIds(manager, channelId, handle);
    // Locked in id order, as ingest locks the conversations it touches.
    const conversations = (await manager.query(
      `SELECT id FROM conversations
        WHERE organisation_id = $1 AND channel_account_id = $2 AND erased_at IS NULL
          AND (${handleKey('customer_handle')} = ${handleKey('$3')}
               OR customer_external_id = ANY($4))
        ORDER BY id FOR NO KEY UPDATE`,
      [organisationId, channelId, handle, customerIds],
    )) as { id: string }[];
    erased.conversationIds = conversations.map((c) => c.id);
    await this.conversationWriter.pseudonymise(
      manager,
      organisationId,
      erased.conversationIds,
      pseudonym,
    );

    const messages = rowsOf<{ conversation_id: string }>(
      await manager.query(
        `UPDATE messages
            SET text = $5, raw = NULL, attachments = '[]', author_name = NULL,
                author_handle = $4, author_external_id = $4, external_url = NULL
          WHERE organisation_id = $1 AND channel_account_id = $2 AND direction = 'inbound'
            AND (${handleKey('author_handle')} = ${handleKey('$3')}
                 OR author_external_id = ANY($6))
          RETURNING conversation_id`,
        [organisationId, channelId, handle, pseudonym, ERASED_TEXT, customerIds],
      ),
    );
    erased.messages = messages.length;

    const ours = rowsOf<{ direction: string }>(
      await manager.query(
        `UPDATE messages SET text = $3, raw = NULL, attachments = '[]'
          WHERE organisation_id = $1 AND conversation_id = ANY($2)
            AND direction IN ('outbound', 'note')
          RETURNING direction`,
        [organisationId, erased.conversationIds, ERASED_TEXT],
      ),
    );
    erased.outboundMessages = ours.filter((m) => m.direction === 'outbound').length;
    erased.notes = ours.length - erased.outboundMessages;
    erased.replies = await this.eraseReplies(manager, organisationId, erased.conversationIds);

    const others = [...new Set(messages.map((m) => m.conversation_id))].filter(
      (id) => !erased.conversationIds.includes(id),
    );
    erased.quarantined = rowsOf<{ id: string }>(
      await manager.query(
        `DELETE FROM quarantined_items
          WHERE organisation_id = $1 AND channel_account_id = $2
            AND (${handleKey('author_handle')} = ${handleKey('$3')}
                 OR author_external_id = ANY($4))
          RETURNING id`,
        [organisationId, channelId, handle, customerIds],
      ),
    ).length;
    erased.previewsCleared = await this.conversationWriter.clearPreviews(
      manager,
      organisationId,
      others,
      pseudonym,
    );
    return erased;
  }

  /** The customer's ids on the channel: of every message and conversation under the handle. */
  private async customerIds(
    manager: EntityManager,
    channelId: string,
    handle: string,
  ): Promise<string[]> {
    const rows = (await manager.query(
      `SELECT author_external_id AS id FROM messages
        WHERE channel_account_id = $1 AND direction = 'inbound' AND author_external_id IS NOT NULL
          AND ${handleKey('author_handle')} = ${handleKey('$2')}
       UNION
       SELECT customer_external_id FROM conversations
        WHERE channel_account_id = $1 AND erased_at IS NULL
          AND ${handleKey('customer_handle')} = ${handleKey('$2')}
       UNION
       SELECT author_external_id FROM quarantined_items
        WHERE channel_account_id = $1 AND author_external_id IS NOT NULL
          AND ${handleKey('author_handle')} = ${handleKey('$2')}`,
      [channelId, handle],
    )) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /**
   * Every reply in the erased conversations loses its text (it names and quotes the
   * customer): one waiting for approval is withdrawn, a queued one fails. Sent, failed,
   * rejected and withdrawn ones keep their status (the reports count sent replies).
   */
  private async eraseReplies(
    manager: EntityManager,
    organisationId: string,
    conversationIds: string[],
  ): Promise<Erased['replies']> {
    if (conversationIds.length === 0) return [];
    return rowsOf<Erased['replies'][number]>(
      await manager.query(
        `WITH target AS (
           SELECT id, status FROM replies
            WHERE organisation_id = $1 AND conversation_id = ANY($2)
            ORDER BY id FOR NO KEY UPDATE)
         UPDATE replies r
            SET text = $3, variables = NULL, tone_findings = '[]', updated_at = now(),
                status = CASE target.status WHEN 'pending_approval' THEN 'withdrawn'
                                            WHEN 'queued' THEN 'failed'
                                            ELSE target.status END,
                error = CASE target.status WHEN 'queued' THEN $4 ELSE r.error END,
                failure = CASE WHEN target.status <> 'queued' THEN r.failure
                               WHEN r.may_have_arrived OR r.send_started_at IS NOT NULL THEN 'maybe_sent'
                               ELSE 'not_sent' END
           FROM target
          WHERE r.organisation_id = $1 AND r.id = target.id
          RETURNING r.id, target.status AS before, r.status AS after`,
        [organisationId, conversationIds, ERASED_TEXT, ERASED_REPLY_ERROR],
      ),
    );
  }

  /**
   * One `customer.erased` entry, also when nothing matched (the request was handled): counts,
   * the channel and the pseudonym, never the handle. The replies' status changes as usual.
   */
  private async record(
    manager: EntityManager,
    principal: Principal,
    channelId: string,
    erased: Erased,
  ): Promise<void> {
    const organisationId = principal.organisation.id;
    const actorId = principal.user.id;
    const reason = 'customer erased';
    await this.audit.recordMany(manager, [
      {
        organisationId,
        actorId,
        action: AuditAction.CustomerErased,
        subjectType: 'customer',
        subjectId: null,
        after: {
          channelId,
          pseudonym: erased.conversationIds.length + erased.messages > 0 ? erased.pseudonym : null,
          messages: erased.messages,
          conversations: erased.conversationIds.length,
          outboundMessages: erased.outboundMessages,
          notes: erased.notes,
          replies: erased.replies.length,
          previewsCleared: erased.previewsCleared.length,
          quarantined: erased.quarantined,
        },
      },
      ...erased.replies
        .filter((r) => r.before !== r.after)
        .map((r) => ({
          organisationId,
          actorId,
          action: r.after === 'withdrawn' ? AuditAction.ReplyWithdrawn : AuditAction.ReplyFailed,
          subjectType: 'reply' as const,
          subjectId: r.id,
          before: { status: r.before },
          after:
            r.after === 'failed'
              ? { status: 'failed', error: ERASED_REPLY_ERROR }
              : { status: r.after },
          reason,
        })),
    ]);
  }
}
