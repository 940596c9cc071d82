import { Injectable } from '@nestjs/common';
import type { MessageEntity } from '@toonbank/database';
import { EventPublisher } from '@toonbank/platform';
import { readsInbox, type PolicyOrganisation } from '@toonbank/policy';
import { excerpt, mentionsIn, type Role } from '@toonbank/shared';
import type { EntityManager } from 'typeorm';

/** The `mention` notifications of a note (API.md §Socket.io). */
@Injectable()
export class MentionNotifications {
  constructor(private readonly events: EventPublisher) {}

  /**
   * The colleagues a text names by @initials or @email, case-insensitively: users of the
   * organisation who may read the inbox now (the notification quotes the note), never the
   * author. Initials need not be unique: all who have them are meant.
   */
  async mentioned(
    manager: EntityManager,
    organisation: PolicyOrganisation & { id: string },
    authorId: string,
    text: string,
  ): Promise<string[]> {
    const { initials, emails } = mentionsIn(text);
    if (initials.length === 0 && emails.length === 0) return [];
    const rows: { id: string; role: Role; active: boolean; trainedAt: Date | null }[] =
      await manager.query(
        `SELECT id, role, active, trained_at AS "trainedAt" FROM users
          WHERE organisation_id = $1 AND active AND id <> $2
            AND (upper(initials) = ANY($3) OR email = ANY($4))
          ORDER BY id`,
        [organisation.id, authorId, initials, emails],
      );
    const now = new Date();
    return rows.filter((user) => readsInbox(user, organisation, now)).map((user) => user.id);
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
