import type { ConversationEntity, MessageEntity } from '@toonbank/database';
import {
  withoutOwnMentions,
  type ChannelProvider,
  type ConversationDto,
  type MessageDto,
} from '@toonbank/shared';

/** The fields of a conversation that its presentation (the `Conversation` of API.md) reads. */
export const PRESENTED_CONVERSATION_FIELDS = [
  'id',
  'channelAccountId',
  'number',
  'status',
  'assigneeId',
  'customerHandle',
  'customerName',
  'language',
  'labels',
  'preview',
  'lastMessageAt',
  'firstResponseAt',
  'slaDueAt',
  'slaBreached',
] as const satisfies readonly (keyof ConversationEntity)[];

export type PresentedConversation = Pick<
  ConversationEntity,
  (typeof PRESENTED_CONVERSATION_FIELDS)[number]
>;

/** A conversation with what its presentation needs from its channel and organisation. */
export interface ConversationView<C extends PresentedConversation = ConversationEntity> {
  conversation: C;
  provider: ChannelProvider;
  organisationSlug: string;
  /**
   * The handle of the organisation's channel account the conversation came in on: a preview
   * never starts with it (previews stored before issue 14 still do; see `presentConversation`).
   */
  accountHandle: string | null;
}

/** What a list reads of each conversation: the presented fields only (docs/benchmarks.md, inbox paging). */
export type ConversationListView = ConversationView<PresentedConversation>;

/** "DEMO-42": the organisation's own numbering, safe to quote to a customer on any channel. */
export const referenceOf = (organisationSlug: string, number: number): string =>
  `${organisationSlug.toUpperCase()}-${number}`;

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

/** The `Conversation` of API.md. */
export function presentConversation({
  conversation: c,
  provider,
  organisationSlug,
  accountHandle,
}: ConversationListView): ConversationDto {
  return {
    id: c.id,
    channelId: c.channelAccountId,
    provider,
    reference: referenceOf(organisationSlug, c.number),
    status: c.status,
    assigneeId: c.assigneeId,
    customer: { handle: c.customerHandle, name: c.customerName },
    language: c.language,
    labels: c.labels,
    // Ingest stores previews without our own leading @handle (issue 14); rows stored before
    // that are put right here, so no migration rewrites customers' texts. Idempotent.
    preview: accountHandle ? withoutOwnMentions(c.preview, [accountHandle]) : c.preview,
    lastMessageAt: c.lastMessageAt.toISOString(),
    firstResponseAt: iso(c.firstResponseAt),
    slaDueAt: iso(c.slaDueAt),
    slaBreached: c.slaBreached,
  };
}

/** The `Message` of API.md (the raw payload stays inside). */
export function presentMessage(m: MessageEntity): MessageDto {
  return {
    id: m.id,
    direction: m.direction,
    externalId: m.externalId,
    authorHandle: m.authorHandle,
    authorUserId: m.authorUserId,
    text: m.text,
    attachments: m.attachments,
    createdAt: m.createdAt.toISOString(),
    replyId: m.replyId,
    externalUrl: m.externalUrl,
  };
}
