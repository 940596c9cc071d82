import { Injectable } from '@nestjs/common';
import { EventPublisher } from '@toonbank/platform';
import { presentConversation } from './conversation.presenter';
import { ConversationsRepository } from './conversations.repository';

/** Tells the organisation's sockets what changed, after the change is committed. */
@Injectable()
export class ConversationEvents {
  constructor(
    private readonly conversations: ConversationsRepository,
    private readonly events: EventPublisher,
  ) {}

  async updated(organisationId: string, ids: string[]): Promise<void> {
    for (const view of await this.conversations.findViews(organisationId, [...new Set(ids)])) {
      this.events.toInbox(organisationId, 'conversation.updated', presentConversation(view));
    }
  }
}
