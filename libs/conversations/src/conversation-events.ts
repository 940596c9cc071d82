import { Injectable } from '@nestjs/common';
import { EventPublisher } from '@toonbank/platform';
import { presentConversation } from './conversation.presenter';
import { ConversationsRepository } from './conversations.repository';
import { CountsTrigger } from './counts-trigger';

/** Tells the organisation's sockets what changed, after the change is committed. */
@Injectable()
export class ConversationEvents {
  constructor(
    private readonly conversations: ConversationsRepository,
    private readonly events: EventPublisher,
    private readonly counts: CountsTrigger,
  ) {}

  /** Also makes the organisation's tab counts due (`counts.updated` within the window). */
  async updated(organisationId: string, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    for (const view of await this.conversations.findViews(organisationId, [...new Set(ids)])) {
      this.events.toInbox(organisationId, 'conversation.updated', presentConversation(view));
    }
    await this.counts.changed(organisationId);
  }
}
