import { ConversationEntity, MessageEntity } from '@toonbank/database';
import type { ChannelProvider } from '@toonbank/shared';
import {
  PRESENTED_CONVERSATION_FIELDS,
  presentConversation,
  presentMessage,
  referenceOf,
  type PresentedConversation,
} from './conversation.presenter';

const conversationOf = (overrides: Partial<ConversationEntity> = {}): PresentedConversation =>
  Object.assign(new ConversationEntity(), {
    id: '3d1f6c2a-8b4e-4f0a-9c1d-2e3f4a5b6c7d',
    channelAccountId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
    number: 42,
    status: 'assigned',
    assigneeId: '6f1c2b9e-4c1a-4e8e-9a43-1f2d3c4b5a69',
    customerHandle: '@jan@social.example',
    customerName: 'Jan de Vries',
    language: 'nl',
    labels: ['storing'],
    preview: 'Mijn stroom is uitgevallen',
    lastMessageAt: new Date('2026-03-01T10:00:00.123Z'),
    firstResponseAt: new Date('2026-03-01T10:05:00.000Z'),
    slaDueAt: new Date('2026-03-01T11:00:00.000Z'),
    slaBreached: false,
    ...overrides,
  });

describe('referenceOf: the organisation’s own numbering', () => {
  it.each([
    ['demo', 42, 'DEMO-42'],
    ['gemeente-voorbeeld', 1, 'GEMEENTE-VOORBEELD-1'],
    ['ABC', 1_000_000, 'ABC-1000000'],
  ])('%s and %d give %s', (slug, number, expected) => {
    expect(referenceOf(slug, number)).toBe(expected);
  });
});

describe('presentConversation: the Conversation of API.md', () => {
  it('maps every field, dates as ISO strings', () => {
    expect(
      presentConversation({
        conversation: conversationOf(),
        provider: 'mastodon',
        organisationSlug: 'demo',
        accountHandle: '@webcare@energie.example',
      }),
    ).toEqual({
      id: '3d1f6c2a-8b4e-4f0a-9c1d-2e3f4a5b6c7d',
      channelId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
      provider: 'mastodon',
      reference: 'DEMO-42',
      status: 'assigned',
      assigneeId: '6f1c2b9e-4c1a-4e8e-9a43-1f2d3c4b5a69',
      customer: { handle: '@jan@social.example', name: 'Jan de Vries' },
      language: 'nl',
      labels: ['storing'],
      preview: 'Mijn stroom is uitgevallen',
      lastMessageAt: '2026-03-01T10:00:00.123Z',
      firstResponseAt: '2026-03-01T10:05:00.000Z',
      slaDueAt: '2026-03-01T11:00:00.000Z',
      slaBreached: false,
    });
  });

  it.each<[string, Partial<ConversationEntity>, Record<string, unknown>]>([
    [
      'unassigned, unanswered, no SLA',
      { status: 'unassigned', assigneeId: null, firstResponseAt: null, slaDueAt: null },
      { status: 'unassigned', assigneeId: null, firstResponseAt: null, slaDueAt: null },
    ],
    [
      'an anonymous customer in an unknown language',
      { customerName: null, language: null },
      { customer: { handle: '@jan@social.example', name: null }, language: null },
    ],
    ['breached', { slaBreached: true }, { slaBreached: true }],
    ['no labels', { labels: [] }, { labels: [] }],
  ])('%s', (_, overrides, expected) => {
    const dto = presentConversation({
      conversation: conversationOf(overrides),
      provider: 'bluesky',
      organisationSlug: 'demo',
      accountHandle: '@webcare@energie.example',
    });
    expect(dto).toMatchObject({ provider: 'bluesky', ...expected });
  });

  it.each<ChannelProvider>(['mastodon', 'bluesky', 'x', 'facebook', 'instagram'])(
    'names the channel’s provider (%s)',
    (provider) => {
      const dto = presentConversation({
        conversation: conversationOf(),
        provider,
        organisationSlug: 'demo',
        accountHandle: '@webcare@energie.example',
      });
      expect(dto.provider).toBe(provider);
    },
  );

  it('reads only the presented fields (what a list selects)', () => {
    const only = Object.fromEntries(
      PRESENTED_CONVERSATION_FIELDS.map((field) => [field, conversationOf()[field]]),
    ) as PresentedConversation;
    expect(
      presentConversation({
        conversation: only,
        provider: 'x',
        organisationSlug: 'demo',
        accountHandle: '@webcare@energie.example',
      }),
    ).toEqual(
      presentConversation({
        conversation: conversationOf(),
        provider: 'x',
        organisationSlug: 'demo',
        accountHandle: '@webcare@energie.example',
      }),
    );
  });
});

describe('presentConversation: a preview never starts with our own handle (issue 14)', () => {
  it.each<[string, string, string]>([
    // [stored preview, the channel account's handle, presented preview]
    ['@webcare@energie.example Mijn stroom…', '@webcare@energie.example', 'Mijn stroom…'],
    ['@webcare Mijn stroom…', '@webcare@energie.example', 'Mijn stroom…'],
    ['Mijn stroom…', '@webcare@energie.example', 'Mijn stroom…'],
    ['@buurman kijk', '@webcare@energie.example', '@buurman kijk'],
    ['@Energie storing?', '@energie', 'storing?'],
    ['Energie Direct storing?', 'Energie Direct', 'Energie Direct storing?'],
    ['[erased]', '@webcare', '[erased]'],
  ])('%p on %p → %p', (preview, accountHandle, expected) => {
    const dto = presentConversation({
      conversation: conversationOf({ preview }),
      provider: 'mastodon',
      organisationSlug: 'demo',
      accountHandle,
    });
    expect(dto.preview).toBe(expected);
  });
});

describe('presentMessage: the Message of API.md, without the raw payload', () => {
  const messageOf = (overrides: Partial<MessageEntity> = {}) =>
    Object.assign(new MessageEntity(), {
      id: 'b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e',
      organisationId: '0b7e1a52-2f4d-4c67-9d0a-6a1b2c3d4e5f',
      conversationId: '3d1f6c2a-8b4e-4f0a-9c1d-2e3f4a5b6c7d',
      channelAccountId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
      direction: 'inbound',
      externalId: '109876543210',
      inReplyToExternalId: null,
      authorExternalId: '1234',
      authorHandle: '@jan@social.example',
      authorName: 'Jan de Vries',
      authorUserId: null,
      text: 'Mijn stroom is uitgevallen',
      attachments: [],
      visibility: 'public',
      language: 'nl',
      raw: { secret: 'the channel’s own payload' },
      replyId: null,
      createdAt: new Date('2026-03-01T10:00:00.123Z'),
      storedAt: new Date('2026-03-01T10:00:01.000Z'),
      ...overrides,
    } satisfies Partial<MessageEntity>);

  it.each<[string, Partial<MessageEntity>]>([
    ['an inbound post', {}],
    [
      'an outbound reply',
      {
        direction: 'outbound',
        authorHandle: null,
        authorUserId: '6f1c2b9e-4c1a-4e8e-9a43-1f2d3c4b5a69',
        replyId: 'c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e6f',
      },
    ],
    ['not yet on the channel', { externalId: null }],
  ])('%s', (_, overrides) => {
    const message = messageOf(overrides);
    expect(presentMessage(message)).toEqual({
      id: message.id,
      direction: message.direction,
      externalId: message.externalId,
      authorHandle: message.authorHandle,
      authorUserId: message.authorUserId,
      text: message.text,
      attachments: message.attachments,
      createdAt: '2026-03-01T10:00:00.123Z',
      replyId: message.replyId,
    });
    expect(JSON.stringify(presentMessage(message))).not.toContain('payload');
  });
});
