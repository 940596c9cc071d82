import type { ReplyEntity } from '@toonbank/database';
import type { ReplyDto } from '@toonbank/shared';

/** The `Reply` of API.md §Replies (the idempotency key and attempts stay inside). */
export function presentReply(reply: ReplyEntity): ReplyDto {
  return {
    id: reply.id,
    conversationId: reply.conversationId,
    authorId: reply.authorId,
    text: reply.text,
    templateId: reply.templateId,
    private: reply.private,
    status: reply.status,
    externalId: reply.externalId,
    externalUrl: reply.externalUrl,
    error: reply.error,
    failure: reply.status === 'failed' ? reply.failure : null,
    approvedBy: reply.approvedBy,
    rejectionComment: reply.rejectionComment,
    createdAt: reply.createdAt.toISOString(),
    sentAt: reply.sentAt ? reply.sentAt.toISOString() : null,
    toneFindings: reply.toneFindings,
    inReplyToMessageId: reply.inReplyToMessageId,
  };
}
