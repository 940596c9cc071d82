import type { ConversationEntity, MessageEntity } from '@toonbank/database';
import type { ChannelProvider, ConversationDto, MessageDto } from '@toonbank/shared';

/** A conversation with what its presentation needs from its channel and organisation. */
export interface ConversationView {
  conversation: ConversationEntity;
  provider: ChannelProvider;
  organisationSlug: string;
}

/** "DEMO-42": the organisation's own numbering, safe to quote to a customer on any channel. */
export const referenceOf = (organisationSlug: string, number: number): string =>
  `${organisationSlug.toUpperCase()}-${number}`;

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

/** The `Conversation` of API.md. */
export function presentConversation({
  conversation: c,
  provider,
  organisationSlug,
}: ConversationView): ConversationDto {
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
    preview: c.preview,
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
  };
}
