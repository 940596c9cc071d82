import { threadMessage, type ThreadCandidate } from './threading';

const HOUR = 3600_000;
const T0 = new Date('2026-03-01T10:00:00Z');
const at = (hours: number) => new Date(T0.getTime() + hours * HOUR);

const known: Record<string, string> = { 'post-1': 'conv-a', 'root-9': 'conv-r' };
const open: Record<string, ThreadCandidate> = {
  ana: { conversationId: 'conv-ana', customerExternalId: 'ana', lastMessageAt: T0, closed: false },
  bram: {
    conversationId: 'conv-bram',
    customerExternalId: 'bram',
    lastMessageAt: T0,
    closed: true,
  },
};

describe('threadMessage (SPEC.md §3)', () => {
  it.each([
    [
      'a reply to a known message joins its conversation',
      {
        inReplyToExternalId: 'post-1',
        threadRootExternalId: null,
        authorExternalId: 'zoe',
        createdAt: at(100),
      },
      { kind: 'join', conversationId: 'conv-a', reason: 'reply' },
    ],
    [
      'a reply wins over the same customer’s open conversation',
      {
        inReplyToExternalId: 'post-1',
        threadRootExternalId: null,
        authorExternalId: 'ana',
        createdAt: at(1),
      },
      { kind: 'join', conversationId: 'conv-a', reason: 'reply' },
    ],
    [
      'a known thread root joins when the parent is unknown',
      {
        inReplyToExternalId: 'gone',
        threadRootExternalId: 'root-9',
        authorExternalId: 'zoe',
        createdAt: at(1),
      },
      { kind: 'join', conversationId: 'conv-r', reason: 'reply' },
    ],
    [
      'the same customer within 24 hours joins their open conversation',
      {
        inReplyToExternalId: null,
        threadRootExternalId: null,
        authorExternalId: 'ana',
        createdAt: at(23.9),
      },
      { kind: 'join', conversationId: 'conv-ana', reason: 'same_customer' },
    ],
    [
      'exactly 24 hours still joins',
      {
        inReplyToExternalId: null,
        threadRootExternalId: null,
        authorExternalId: 'ana',
        createdAt: at(24),
      },
      { kind: 'join', conversationId: 'conv-ana', reason: 'same_customer' },
    ],
    [
      'after 24 hours a new conversation starts',
      {
        inReplyToExternalId: null,
        threadRootExternalId: null,
        authorExternalId: 'ana',
        createdAt: at(24.01),
      },
      { kind: 'new' },
    ],
    [
      'a closed conversation is not joined by time alone',
      {
        inReplyToExternalId: null,
        threadRootExternalId: null,
        authorExternalId: 'bram',
        createdAt: at(1),
      },
      { kind: 'new' },
    ],
    [
      'an unknown customer starts a new conversation',
      {
        inReplyToExternalId: null,
        threadRootExternalId: null,
        authorExternalId: 'zoe',
        createdAt: at(1),
      },
      { kind: 'new' },
    ],
    [
      'a reply to an unknown post by an unknown customer starts a new one',
      {
        inReplyToExternalId: 'elsewhere',
        threadRootExternalId: 'elsewhere-root',
        authorExternalId: 'zoe',
        createdAt: at(1),
      },
      { kind: 'new' },
    ],
  ] as const)('%s', (_label, item, decision) => {
    expect(
      threadMessage(
        item,
        (id) => known[id],
        (customer) => open[customer],
      ),
    ).toEqual(decision);
  });
});
