import { Module } from '@nestjs/common';
import { AssignmentWriter } from './assignment-writer';
import { ConversationCommands } from './conversation-commands.service';
import { ConversationEvents } from './conversation-events';
import { ConversationCounts } from './conversation-counts';
import { CountsTrigger } from './counts-trigger';
import { ConversationsRepository } from './conversations.repository';
import { ConversationsService } from './conversations.service';
import { MentionNotifications } from './mention-notifications';
import { NoteWriter } from './note-writer';
import { ReplyEvents } from './reply-events';
import { RoutingTrigger } from './routing-trigger';
import { WorkRelease } from './work-release';
import { ConversationStatusWriter } from './status-writer';
import { InboundConversationWriter } from './inbound-conversation-writer';
import { ConversationErasureWriter } from './erasure-writer';

/**
 * The inbox's conversations: reading, holding, closing, labels and notes, and the work released
 * with people. No controller: the worker imports this too; the routes are ConversationsApiModule's.
 */
@Module({
  providers: [
    ConversationsRepository,
    ConversationsService,
    ConversationCommands,
    AssignmentWriter,
    ConversationStatusWriter,
    InboundConversationWriter,
    ConversationErasureWriter,
    ConversationEvents,
    RoutingTrigger,
    WorkRelease,
    ReplyEvents,
    NoteWriter,
    MentionNotifications,
    ConversationCounts,
    CountsTrigger,
  ],
  exports: [
    ConversationsRepository,
    AssignmentWriter,
    ConversationStatusWriter,
    InboundConversationWriter,
    ConversationErasureWriter,
    ConversationEvents,
    RoutingTrigger,
    WorkRelease,
    ConversationCommands,
    ReplyEvents,
    ConversationsService,
    NoteWriter,
    ConversationCounts,
    CountsTrigger,
  ],
})
export class ConversationsModule {}
