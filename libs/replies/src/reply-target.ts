import type { ConversationEntity, MessageEntity } from '@toonbank/database';

type Customer = Pick<ConversationEntity, 'customerExternalId' | 'customerHandle'>;
type Author = Pick<MessageEntity, 'authorExternalId' | 'authorHandle'>;

/**
 * Whether the conversation's own customer wrote this message (by their channel id; by handle
 * for a message stored without one), rather than another participant of the thread.
 */
export function isFromCustomer(message: Author, conversation: Customer): boolean {
  if (message.authorExternalId !== null) {
    return message.authorExternalId === conversation.customerExternalId;
  }
  return message.authorHandle !== null && message.authorHandle === conversation.customerHandle;
}
