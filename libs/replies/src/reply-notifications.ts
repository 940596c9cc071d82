import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { ReplyEntity } from '@toonbank/database';
import { EventPublisher } from '@toonbank/platform';
import { LEAD_ROLES } from '@toonbank/policy';
import { excerpt } from '@toonbank/shared';
import { DataSource } from 'typeorm';

/** The `notification` events of the approval flow (API.md §Socket.io). */
@Injectable()
export class ReplyNotifications {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly events: EventPublisher,
  ) {}

  /** Every active team lead and admin but the author. */
  async approvalNeeded(reply: ReplyEntity, authorName: string): Promise<void> {
    const approvers: { id: string }[] = await this.db.query(
      `SELECT id FROM users WHERE organisation_id = $1 AND active AND role = ANY($2) AND id <> $3`,
      [reply.organisationId, LEAD_ROLES, reply.authorId],
    );
    const quote = excerpt(reply.text);
    for (const { id } of approvers) {
      this.events.toUser(id, 'notification', {
        type: 'approval_needed',
        conversationId: reply.conversationId,
        replyId: reply.id,
        text: `${authorName} asks approval for: ${quote}`,
        actorName: authorName,
        quote,
      });
    }
  }

  rejected(reply: ReplyEntity, comment: string, rejectedBy: string): void {
    this.events.toUser(reply.authorId, 'notification', {
      type: 'reply_rejected',
      conversationId: reply.conversationId,
      replyId: reply.id,
      text: `Your reply was rejected: ${comment}`,
      actorName: rejectedBy,
      quote: excerpt(comment),
    });
  }
}
