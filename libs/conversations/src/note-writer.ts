import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditLogService } from '@toonbank/audit';
import { MessageEntity } from '@toonbank/database';
import { ApiError, EventPublisher, inTransaction, type Principal } from '@toonbank/platform';
import { AuditAction, type MessageDto } from '@toonbank/shared';
import { DataSource } from 'typeorm';
import { presentMessage } from './conversation.presenter';
import { ConversationsRepository } from './conversations.repository';
import { MentionNotifications } from './mention-notifications';

/**
 * Internal notes (API.md: never sent to the channel). Whoever may read a conversation may
 * write one: notes are how colleagues who do not hold it help. A note is a message of its
 * own direction that leaves the conversation untouched: not its status, SLA, first response
 * or activity, and not its preview or lastMessageAt, which stay what the customer said and
 * was told (the inbox's order). It has no external id, so threading never meets it; it goes
 * to no queue. A closed conversation may still get notes.
 */
@Injectable()
export class NoteWriter {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly conversations: ConversationsRepository,
    private readonly audit: AuditLogService,
    private readonly mentions: MentionNotifications,
    private readonly events: EventPublisher,
  ) {}

  async create(principal: Principal, conversationId: string, text: string): Promise<MessageDto> {
    const organisationId = principal.organisation.id;
    const author = principal.user;
    const { note, mentioned } = await inTransaction(this.db, async (manager) => {
      const conversation = await this.conversations.find(organisationId, conversationId, manager);
      if (!conversation) throw ApiError.notFound('The conversation');
      const note = await manager.save(
        manager.create(MessageEntity, {
          organisationId,
          conversationId,
          channelAccountId: conversation.channelAccountId,
          direction: 'note',
          externalId: null,
          authorHandle: null,
          authorName: author.name,
          authorUserId: author.id,
          text,
          attachments: [],
          replyId: null,
          createdAt: new Date(),
        }),
      );
      const mentioned = await this.mentions.mentioned(
        manager,
        principal.organisation,
        author.id,
        text,
      );
      // The text stays out of the append-only log (it may quote the customer: erasure).
      await this.audit.record(manager, {
        organisationId,
        actorId: author.id,
        action: AuditAction.ConversationNoteAdded,
        subjectType: 'conversation',
        subjectId: conversationId,
        after: { messageId: note.id, mentionedUserIds: mentioned },
      });
      return { note, mentioned };
    });
    const message = presentMessage(note);
    this.events.toInbox(organisationId, 'message.created', { conversationId, message });
    this.mentions.notify(mentioned, note, author.name);
    return message;
  }
}
