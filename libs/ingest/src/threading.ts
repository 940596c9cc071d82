import type { InboundItem } from '@toonbank/channels';

/** SPEC.md §3: a message from the same customer within this time joins their open conversation. */
export const SAME_CUSTOMER_WINDOW_MS = 24 * 60 * 60 * 1000;

/** What threading needs to know of a conversation. */
export interface ThreadCandidate {
  conversationId: string;
  customerExternalId: string;
  lastMessageAt: Date;
  closed: boolean;
}

export type ThreadDecision =
  { kind: 'join'; conversationId: string; reason: 'reply' | 'same_customer' } | { kind: 'new' };

/**
 * SPEC.md §3, for one message: a reply to a message of a known conversation joins it (closed
 * or not: a closed one reopens); otherwise the same customer's open conversation joins when
 * its last message is within 24 hours; otherwise a new conversation starts.
 * `conversationOfMessage` knows stored messages and those earlier in the same batch.
 */
export function threadMessage(
  item: Pick<
    InboundItem,
    'inReplyToExternalId' | 'threadRootExternalId' | 'authorExternalId' | 'createdAt'
  >,
  conversationOfMessage: (externalId: string) => string | undefined,
  latestOpenOfCustomer: (customerExternalId: string) => ThreadCandidate | undefined,
): ThreadDecision {
  for (const ref of [item.inReplyToExternalId, item.threadRootExternalId]) {
    const conversationId = ref ? conversationOfMessage(ref) : undefined;
    if (conversationId) return { kind: 'join', conversationId, reason: 'reply' };
  }
  const open = latestOpenOfCustomer(item.authorExternalId);
  if (
    open &&
    !open.closed &&
    Math.abs(item.createdAt.getTime() - open.lastMessageAt.getTime()) <= SAME_CUSTOMER_WINDOW_MS
  ) {
    return { kind: 'join', conversationId: open.conversationId, reason: 'same_customer' };
  }
  return { kind: 'new' };
}
