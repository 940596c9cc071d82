import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { ChannelCursor, ConnectorRegistry, InboundItem } from '@toonbank/channels';
import { CONNECTOR_REGISTRY } from '@toonbank/channel-accounts';
import {
  ConversationsRepository,
  CountsTrigger,
  InboundConversationWriter,
  RoutingTrigger,
  presentConversation,
  presentMessage,
  previewOf,
  type ConversationView,
} from '@toonbank/conversations';
import {
  ChannelAccountEntity,
  ConversationEntity,
  MessageEntity,
  OrganisationEntity,
  takeConversationNumbers,
} from '@toonbank/database';
import { EventPublisher, inTransaction, Metrics } from '@toonbank/platform';
import type { QuarantineSource } from '@toonbank/shared';
import { SlaService } from '@toonbank/sla';
import { DataSource, In, type EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { threadMessage, type ThreadCandidate } from './threading';
import {
  isItemFault,
  quarantineEntry,
  reasonOf,
  screenItems,
  type QuarantineEntry,
} from './quarantine/quarantine-entry';
import { QuarantineRepository } from './quarantine/quarantine.repository';

export interface IngestResult {
  received: number;
  stored: number;
  conversationsCreated: number;
  /** Items newly quarantined (issue 13): they could not be stored. */
  quarantined: number;
}

export interface WriteOptions {
  /** Where the items came from (the quarantine's `source`); a poll unless said. */
  source?: QuarantineSource;
  /** Items the caller already found unstorable, quarantined with the batch. */
  quarantined?: QuarantineEntry[];
}

/** A quarantined item that still cannot be stored as it is (the retry's 422). */
export class UnstorableItem extends Error {}

/** What one transaction wrote, for what follows its commit. */
interface Written {
  organisation: OrganisationEntity;
  pending: Pending[];
  views: ConversationView[];
  provider: string;
}
type Outcome = (Written & { quarantined: number }) | null;

interface Pending {
  conversation: ConversationEntity;
  isNew: boolean;
  reopened: boolean;
  messages: MessageEntity[];
}

/**
 * Stores a batch of inbound items of one channel account, exactly once (SPEC.md §3): one
 * transaction that locks the account (its batches never interleave), skips what is stored
 * already, threads each new message in order, writes the new conversations and messages in
 * bulk, moves the touched conversations' state (a closed one reopens, a waiting one wants an
 * answer again), and stores the poll cursor with them. After the commit: the live events,
 * the SLA timers of new conversations, and routing.
 */
@Injectable()
export class IngestWriter {
  private readonly logger = new Logger(IngestWriter.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly conversations: ConversationsRepository,
    private readonly conversationWriter: InboundConversationWriter,
    private readonly sla: SlaService,
    private readonly routing: RoutingTrigger,
    private readonly events: EventPublisher,
    private readonly metrics: Metrics,
    private readonly quarantine: QuarantineRepository,
    private readonly counts: CountsTrigger,
    @Inject(CONNECTOR_REGISTRY) private readonly connectors: ConnectorRegistry,
  ) {}

  /**
   * Stores what can be stored and quarantines the rest (issue 13): an item nested too deep is
   * quarantined before anything walks it; when PostgreSQL (or the code) refuses one item of a
   * batch, the batch is stored item by item and what fails is quarantined. The cursor is
   * stored last, with the quarantined items, so the channel goes on past them. A failure that
   * is not an item's (the database away, a deadlock) still fails the whole batch, to be retried.
   */
  async write(
    organisationId: string,
    channelAccountId: string,
    items: InboundItem[],
    cursor: ChannelCursor | null,
    options: WriteOptions = {},
  ): Promise<IngestResult> {
    const source = options.source ?? 'poll';
    const screened = screenItems(items);
    const quarantined = [...(options.quarantined ?? []), ...screened.quarantined];
    const result: IngestResult = {
      received: items.length,
      stored: 0,
      conversationsCreated: 0,
      quarantined: 0,
    };
    const settle = (outcome: Outcome) => this.settle(outcome, channelAccountId, source, result);
    let outcome: Outcome;
    try {
      outcome = await this.commit(
        organisationId,
        channelAccountId,
        screened.storable,
        cursor,
        source,
        quarantined,
      );
    } catch (error) {
      if (!isItemFault(error)) throw error;
      const committed: Outcome[] = [];
      try {
        await this.commitOneByOne(
          organisationId,
          channelAccountId,
          screened.storable,
          cursor,
          source,
          quarantined,
          committed,
        );
      } finally {
        // Also when a later failure that is not an item's is thrown (the batch is then retried):
        // the items stored before it are told now, the retry finds them stored.
        for (const done of committed) await settle(done);
      }
      return result;
    }
    await settle(outcome);
    return result;
  }

  /** A committed outcome told: metrics, live events, SLA timers and routing; counted in `result`. */
  private async settle(
    outcome: Outcome,
    channelAccountId: string,
    source: QuarantineSource,
    result: IngestResult,
  ): Promise<void> {
    if (!outcome) return;
    result.quarantined += outcome.quarantined;
    this.metrics.quarantined(outcome.provider, source, outcome.quarantined);
    this.metrics.ingested(
      outcome.provider,
      channelAccountId,
      outcome.pending.flatMap((p) => p.messages.map((m) => m.createdAt)),
      new Date(),
    );
    await this.announce(outcome.organisation, outcome.pending, outcome.views);
    result.stored += outcome.pending.reduce((n, p) => n + p.messages.length, 0);
    result.conversationsCreated += outcome.pending.filter((p) => p.isNew).length;
  }

  /**
   * One quarantined item stored again (a retry): in one transaction with `alongside` (which
   * takes the item out of the quarantine). Throws whatever refuses it; nothing is quarantined.
   */
  async storeQuarantined(
    organisationId: string,
    channelAccountId: string,
    item: InboundItem,
    alongside: (manager: EntityManager) => Promise<void>,
  ): Promise<{ stored: boolean; messageId: string; conversationId: string } | null> {
    const { storable, quarantined } = screenItems([item]);
    if (quarantined.length > 0) throw new UnstorableItem(quarantined[0]!.reason);
    const outcome = await inTransaction(this.db, async (manager) => {
      const written = await this.writeLocked(
        manager,
        organisationId,
        channelAccountId,
        storable,
        null,
      );
      if (!written) return null;
      await alongside(manager);
      const [message] = (await manager.query(
        'SELECT id, conversation_id FROM messages WHERE channel_account_id = $1 AND external_id = $2',
        [channelAccountId, item.externalId],
      )) as { id: string; conversation_id: string }[];
      return { written, message };
    });
    if (!outcome?.message) return null;
    const { written, message } = outcome;
    this.metrics.ingested(
      written.provider,
      channelAccountId,
      written.pending.flatMap((p) => p.messages.map((m) => m.createdAt)),
      new Date(),
    );
    await this.announce(written.organisation, written.pending, written.views);
    return {
      stored: written.pending.length > 0,
      messageId: message.id,
      conversationId: message.conversation_id,
    };
  }

  /** One transaction: the items, the quarantined entries and the cursor. */
  private async commit(
    organisationId: string,
    channelAccountId: string,
    items: InboundItem[],
    cursor: ChannelCursor | null,
    source: QuarantineSource,
    quarantined: QuarantineEntry[],
  ): Promise<Outcome> {
    return inTransaction(this.db, async (manager) => {
      const written = await this.writeLocked(
        manager,
        organisationId,
        channelAccountId,
        items,
        cursor,
      );
      if (!written) return null;
      const count = await this.quarantine.insert(
        manager,
        organisationId,
        channelAccountId,
        source,
        quarantined,
      );
      return { ...written, quarantined: count };
    });
  }

  /** A batch that one item spoils: each item in a transaction of its own, then the cursor. */
  private async commitOneByOne(
    organisationId: string,
    channelAccountId: string,
    items: InboundItem[],
    cursor: ChannelCursor | null,
    source: QuarantineSource,
    quarantined: QuarantineEntry[],
    committed: Outcome[],
  ): Promise<void> {
    const refused = [...quarantined];
    for (const item of items) {
      try {
        committed.push(
          await this.commit(organisationId, channelAccountId, [item], null, source, []),
        );
      } catch (error) {
        if (!isItemFault(error)) throw error;
        this.logger.warn(`${channelAccountId}: quarantined ${item.externalId}: ${reasonOf(error)}`);
        refused.push(quarantineEntry(item, reasonOf(error)));
      }
    }
    committed.push(
      await this.commit(organisationId, channelAccountId, [], cursor, source, refused),
    );
  }

  private async writeLocked(
    manager: EntityManager,
    organisationId: string,
    channelAccountId: string,
    items: InboundItem[],
    cursor: ChannelCursor | null,
  ): Promise<Written | null> {
    const organisation = await this.conversations.lockOrganisation(manager, organisationId);
    const account = await manager
      .createQueryBuilder(ChannelAccountEntity, 'a')
      .setLock('for_no_key_update')
      .where('a.organisation_id = :organisationId AND a.id = :channelAccountId', {
        organisationId,
        channelAccountId,
      })
      .getOne();
    if (!account) return null;
    const now = new Date();
    const fresh = await this.freshItems(manager, channelAccountId, items);
    const pending =
      fresh.length > 0 ? await this.thread(manager, organisation, account, fresh, now) : [];

    const newConversations = pending.filter((p) => p.isNew).map((p) => p.conversation);
    if (newConversations.length > 0) {
      const first = await takeConversationNumbers(manager, organisationId, newConversations.length);
      newConversations.forEach((c, index) => (c.number = first + index));
      await this.conversationWriter.create(
        manager,
        organisationId,
        channelAccountId,
        newConversations,
      );
    }
    const messages = pending.flatMap((p) => p.messages);
    if (messages.length > 0) {
      await insertMessages(manager, organisationId, channelAccountId, messages);
    }
    const touched = pending.filter((q) => !q.isNew);
    for (const p of touched.filter((q) => q.conversation.status === 'closed')) {
      await this.reopen(manager, organisation, account.handle, p);
    }
    await this.moveOnOpen(
      manager,
      organisationId,
      account.handle,
      touched.filter((q) => q.conversation.status !== 'closed'),
    );

    if (cursor) {
      await manager.update(ChannelAccountEntity, { id: channelAccountId }, {
        cursor,
      } as QueryDeepPartialEntity<ChannelAccountEntity>);
    }
    // Read in the transaction, so that the announcement after the commit needs no connection:
    // under a backlog the pool's queue sat between a commit and its live events.
    const views =
      pending.length > 0
        ? await this.conversations.findViews(
            organisationId,
            pending.map((p) => p.conversation.id),
            manager,
          )
        : [];
    return { organisation, pending, views, provider: account.provider };
  }

  /** The items not stored yet (nor twice in this batch), oldest first. */
  private async freshItems(
    manager: EntityManager,
    channelAccountId: string,
    items: InboundItem[],
  ): Promise<InboundItem[]> {
    const unique = new Map(items.map((item) => [item.externalId, item]));
    if (unique.size === 0) return [];
    const stored = (await manager.query(
      'SELECT external_id FROM messages WHERE channel_account_id = $1 AND external_id = ANY($2)',
      [channelAccountId, [...unique.keys()]],
    )) as { external_id: string }[];
    for (const { external_id } of stored) unique.delete(external_id);
    return [...unique.values()].sort(
      (a, b) =>
        a.createdAt.getTime() - b.createdAt.getTime() || a.externalId.localeCompare(b.externalId),
    );
  }

  private async thread(
    manager: EntityManager,
    organisation: OrganisationEntity,
    account: ChannelAccountEntity,
    items: InboundItem[],
    now: Date,
  ): Promise<Pending[]> {
    const refs = [
      ...new Set(
        items
          .flatMap((i) => [i.inReplyToExternalId, i.threadRootExternalId])
          .filter((r): r is string => !!r),
      ),
    ];
    // An erased customer's conversation (erased_at) takes nothing new, not even a reply to it.
    const known = new Map<string, string>(
      refs.length === 0
        ? []
        : (
            (await manager.query(
              `SELECT m.external_id, m.conversation_id FROM messages m
                 JOIN conversations c ON c.id = m.conversation_id AND c.erased_at IS NULL
                WHERE m.channel_account_id = $1 AND m.external_id = ANY($2)`,
              [account.id, refs],
            )) as { external_id: string; conversation_id: string }[]
          ).map((r) => [r.external_id, r.conversation_id]),
    );
    // The roots of stored conversations count as their messages too.
    const customers = [...new Set(items.map((i) => i.authorExternalId))];
    const latest = await manager
      .createQueryBuilder(ConversationEntity, 'c')
      .distinctOn(['c.customer_external_id'])
      .where('c.channel_account_id = :account AND c.customer_external_id IN (:...customers)', {
        account: account.id,
        customers,
      })
      .andWhere("c.status <> 'closed' AND c.erased_at IS NULL")
      .orderBy('c.customer_external_id')
      .addOrderBy('c.last_message_at', 'DESC')
      .getMany();
    const open = new Map<string, ThreadCandidate>(
      latest.map((c) => [
        c.customerExternalId,
        {
          conversationId: c.id,
          customerExternalId: c.customerExternalId,
          lastMessageAt: c.lastMessageAt,
          closed: false,
        },
      ]),
    );

    const byConversation = new Map<string, Pending>();
    const toLoad = new Set<string>();
    const decisions = items.map((item) => {
      const decision = threadMessage(
        item,
        (id) => known.get(id),
        (customer) => open.get(customer),
      );
      let conversationId: string;
      if (decision.kind === 'join') {
        conversationId = decision.conversationId;
        if (!byConversation.has(conversationId)) toLoad.add(conversationId);
      } else {
        conversationId = randomUUID();
        byConversation.set(conversationId, {
          conversation: this.newConversation(conversationId, organisation, account, item, now),
          isNew: true,
          reopened: false,
          messages: [],
        });
      }
      known.set(item.externalId, conversationId);
      // Only the customer's own conversation counts for "the same customer within 24 hours":
      // a reply that joined someone else's conversation leaves theirs as it was.
      const own =
        decision.kind === 'new' ||
        open.get(item.authorExternalId)?.conversationId === conversationId;
      if (own) {
        open.set(item.authorExternalId, {
          conversationId,
          customerExternalId: item.authorExternalId,
          lastMessageAt: item.createdAt,
          closed: false,
        });
      }
      return { item, conversationId };
    });

    if (toLoad.size > 0) {
      const existing = await manager
        .createQueryBuilder(ConversationEntity, 'c')
        .setLock('for_no_key_update')
        .where('c.organisation_id = :organisationId AND c.id IN (:...ids)', {
          organisationId: organisation.id,
          ids: [...toLoad],
        })
        .orderBy('c.id')
        .getMany();
      for (const conversation of existing) {
        byConversation.set(conversation.id, {
          conversation,
          isNew: false,
          reopened: false,
          messages: [],
        });
      }
    }
    for (const { item, conversationId } of decisions) {
      const target = byConversation.get(conversationId);
      if (target) {
        target.messages.push(
          this.newMessage(
            organisation.id,
            account.id,
            conversationId,
            item,
            this.urlOf(account, item),
          ),
        );
      }
    }
    // A new conversation that got several messages in this batch shows its latest.
    for (const pending of byConversation.values()) {
      if (pending.isNew) this.moveOn(pending.conversation, pending.messages, account.handle);
    }
    return [...byConversation.values()].filter((p) => p.messages.length > 0);
  }

  /** The touched conversation moves on: newest activity, and its state asks for an answer again. */
  /** The latest of the messages becomes the conversation's last activity and preview. */
  private moveOn(
    conversation: ConversationEntity,
    messages: MessageEntity[],
    accountHandle: string | null,
  ): void {
    const last = messages[messages.length - 1];
    if (!last) return;
    if (last.createdAt > conversation.lastMessageAt) {
      conversation.lastMessageAt = last.createdAt;
      conversation.preview = previewOf(last.text, accountHandle);
    }
    conversation.language ??= last.language;
  }

  /** A closed conversation that got a message reopens (and goes back to routing). */
  private async reopen(
    manager: EntityManager,
    organisation: OrganisationEntity,
    accountHandle: string | null,
    p: Pending,
  ): Promise<void> {
    this.moveOn(p.conversation, p.messages, accountHandle);
    const reopened = await this.conversationWriter.reopen(manager, organisation, p.conversation);
    p.reopened = reopened === 'routing';
  }

  /**
   * The touched open conversations (locked since `thread`) move on in one statement: newest
   * activity and preview, and a waiting one wants an answer again. Only those that changed,
   * as `save` would.
   */
  private async moveOnOpen(
    manager: EntityManager,
    organisationId: string,
    accountHandle: string | null,
    pending: Pending[],
  ): Promise<void> {
    const changed: ConversationEntity[] = [];
    for (const { conversation, messages } of pending) {
      const before = [
        conversation.lastMessageAt.getTime(),
        conversation.preview,
        conversation.language,
        conversation.status,
      ];
      this.moveOn(conversation, messages, accountHandle);
      if (conversation.status === 'waiting')
        conversation.status = conversation.assigneeId ? 'assigned' : 'unassigned';
      const after = [
        conversation.lastMessageAt.getTime(),
        conversation.preview,
        conversation.language,
        conversation.status,
      ];
      if (after.some((value, i) => value !== before[i])) changed.push(conversation);
    }
    await this.conversationWriter.moveOn(manager, organisationId, changed);
  }

  private newConversation(
    id: string,
    organisation: OrganisationEntity,
    account: ChannelAccountEntity,
    item: InboundItem,
    now: Date,
  ): ConversationEntity {
    const started = item.createdAt.getTime() > now.getTime() ? now : item.createdAt;
    return Object.assign(new ConversationEntity(), {
      id,
      organisationId: organisation.id,
      channelAccountId: account.id,
      number: 0,
      status: 'unassigned',
      assigneeId: null,
      previousAssigneeId: null,
      assignedAt: null,
      customerExternalId: item.authorExternalId,
      customerHandle: item.authorHandle,
      customerName: item.authorName,
      language: item.language,
      labels: [],
      preview: previewOf(item.text, account.handle),
      rootExternalId: item.threadRootExternalId ?? item.externalId,
      lastMessageAt: item.createdAt,
      lastActivityAt: null,
      firstResponseAt: null,
      slaDueAt: this.sla.dueAt(organisation, started),
      slaBreached: false,
      closedAt: null,
    } satisfies Partial<ConversationEntity>);
  }

  /** The item's public URL, built by its connector (null when it has none, or it cannot say). */
  private urlOf(account: ChannelAccountEntity, item: InboundItem): string | null {
    try {
      return this.connectors.get(account.provider).externalUrl(
        {
          config: account.config,
          handle: account.handle,
          externalAccountId: account.externalAccountId,
        },
        item,
      );
    } catch (error) {
      this.logger.warn(
        `no public URL for ${account.provider} item ${item.externalId.slice(0, 100)}: ${error instanceof Error ? error.message : String(error)}`,
      );
      return null;
    }
  }

  private newMessage(
    organisationId: string,
    channelAccountId: string,
    conversationId: string,
    item: InboundItem,
    externalUrl: string | null,
  ): MessageEntity {
    return Object.assign(new MessageEntity(), {
      id: randomUUID(),
      organisationId,
      conversationId,
      channelAccountId,
      direction: 'inbound',
      externalId: item.externalId,
      externalUrl,
      inReplyToExternalId: item.inReplyToExternalId,
      authorExternalId: item.authorExternalId,
      authorHandle: item.authorHandle,
      authorName: item.authorName,
      authorUserId: null,
      text: item.text,
      attachments: item.attachments,
      visibility: item.visibility,
      language: item.language,
      raw: item.raw,
      replyId: null,
      createdAt: item.createdAt,
    } satisfies Partial<MessageEntity>);
  }

  /** After the commit: what the inbox shows changes live, SLA clocks start, routing looks at the queue. */
  private async announce(
    organisation: OrganisationEntity,
    pending: Pending[],
    views: ConversationView[],
  ): Promise<void> {
    if (pending.length === 0) return;
    const viewOf = new Map(views.map((v) => [v.conversation.id, v]));
    for (const p of pending) {
      const view = viewOf.get(p.conversation.id);
      if (!view) continue;
      this.events.toInbox(
        organisation.id,
        p.isNew ? 'conversation.created' : 'conversation.updated',
        presentConversation(view),
      );
      for (const message of p.messages) {
        this.events.toInbox(organisation.id, 'message.created', {
          conversationId: p.conversation.id,
          message: presentMessage(message),
        });
      }
    }
    // Side by side: one Redis round trip for the batch's timers, not one a conversation.
    await Promise.all(pending.filter((q) => q.isNew).map((p) => this.sla.schedule(p.conversation)));
    const touchedQueue = pending.some(
      (p) => p.isNew || p.reopened || (p.conversation.status === 'unassigned' && !p.isNew),
    );
    if (touchedQueue) await this.routing.routeQueue(organisation.id, 'new messages');
    // New, reopened and answered-again conversations change the inbox's tab counts.
    await this.counts.changed(organisation.id);
  }

  /** For tests and the webhook: which conversations hold these external ids. */
  async conversationsOf(
    channelAccountId: string,
    externalIds: string[],
  ): Promise<Map<string, string>> {
    const rows = await this.db.manager.find(MessageEntity, {
      where: { channelAccountId, externalId: In(externalIds) },
      select: { externalId: true, conversationId: true },
    });
    return new Map(rows.map((r) => [r.externalId as string, r.conversationId]));
  }
}

// The batch's messages in one statement, passed as one JSON document (json_to_recordset):
// TypeORM's multi-row insert spent more time building its SQL and parameter list (19
// placeholders a message) and merging the RETURNING values back than PostgreSQL spent storing
// the rows, and array parameters spent as much in the driver escaping every element. The new
// conversations go the same way (InboundConversationWriter.create).

/** Inbound messages of one channel account; one stored already is left as it is. */
async function insertMessages(
  manager: EntityManager,
  organisationId: string,
  channelAccountId: string,
  messages: MessageEntity[],
): Promise<void> {
  const rows = messages.map((m) => ({
    id: m.id,
    conversation_id: m.conversationId,
    external_id: m.externalId,
    external_url: m.externalUrl,
    in_reply_to_external_id: m.inReplyToExternalId,
    author_external_id: m.authorExternalId,
    author_handle: m.authorHandle,
    author_name: m.authorName,
    text: m.text,
    attachments: m.attachments ?? [],
    visibility: m.visibility,
    language: m.language,
    raw: m.raw ?? null,
    created_at: m.createdAt,
  }));
  await manager.query(
    `INSERT INTO messages (id, organisation_id, conversation_id, channel_account_id, direction,
       external_id, external_url, in_reply_to_external_id, author_external_id, author_handle,
       author_name, text, attachments, visibility, language, raw, created_at)
     SELECT v.id, $1, v.conversation_id, $2, 'inbound', v.external_id, v.external_url,
       v.in_reply_to_external_id, v.author_external_id, v.author_handle, v.author_name, v.text,
       v.attachments, v.visibility, v.language, v.raw, v.created_at
       FROM json_to_recordset($3::json) AS v(id uuid, conversation_id uuid, external_id text,
         external_url text, in_reply_to_external_id text, author_external_id text, author_handle text,
         author_name text, text text, attachments jsonb, visibility text, language text,
         raw jsonb, created_at timestamptz)
     ON CONFLICT DO NOTHING`,
    [organisationId, channelAccountId, JSON.stringify(rows)],
  );
}
