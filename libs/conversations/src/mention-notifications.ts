import { Injectable } from '@nestjs/common';
import type { MessageEntity } from '@toonbank/database';
import { EventPublisher } from '@toonbank/platform';
import { excerpt, mentionsIn } from '@toonbank/shared';
import type { EntityManager } from 'typeorm';

/** The `mention` notifications of a note (API.md §Socket.io). */
@Injectable()
export class MentionNotifications {
  constructor(private readonly events: EventPublisher) {}

  /**
   * The colleagues a text names by @initials or @email, case-insensitively: active users of
   * the organisation, never the author. Initials need not be unique: all who have them are meant.
   */
  async mentioned(
    manager: EntityManager,
    organisationId: string,
    authorId: string,
    text: string,
  ): Promise<string[]> {
    const { initials, emails } = mentionsIn(text);
    if (initials.length === 0 && emails.length === 0) return [];
    const rows: { id: string }[] = await manager.query(
      `SELECT id FROM users
        WHERE organisation_id = $1 AND active AND id <> $2
          AND (upper(initials) = ANY($3) OR email = ANY($4))
        ORDER BY id`,
      [organisationId, authorId, initials, emails],
    );
    return rows.map((row) => row.id);
  }

  notify(userIds: string[], note: MessageEntity, authorName: string): void {
    const quote = excerpt(note.text);
    for (const userId of userIds) {
      this.events.toUser(userId, 'notification', {
        type: 'mention',
        conversationId: note.conversationId,
        text: `${authorName} mentioned you: ${quote}`,
        actorName: authorName,
        quote,
      });
    }
  }
}
