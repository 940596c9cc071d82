import { DEFAULT_POLICY_MATRIX } from '@toonbank/policy';
import type {
  ConversationDetailDto,
  ConversationDto,
  MaturityLevel,
  MessageDto,
  TemplateDto,
  ToneCheckResultDto,
  ToneFindingDto,
} from '@toonbank/shared';
import type { FakeApi, StubRequest } from './fakeApi';
import { ADMIN, AGENT, LEAD } from './fixtures';

export const CONVERSATION_ID = '00000000-0000-4000-8000-00000000c001';

export const makeConversation = (overrides: Partial<ConversationDto> = {}): ConversationDto => ({
  id: CONVERSATION_ID,
  channelId: '00000000-0000-4000-8000-00000000e001',
  provider: 'mastodon',
  reference: 'DEMO-7',
  status: 'assigned',
  assigneeId: AGENT.id,
  customer: { handle: '@sanne@social.example', name: 'Sanne' },
  language: 'nl',
  labels: [],
  preview: 'Mijn factuur klopt niet',
  lastMessageAt: '2026-11-26T09:00:00.000Z',
  firstResponseAt: null,
  slaDueAt: new Date(Date.now() + 40 * 60_000).toISOString(),
  slaBreached: false,
  ...overrides,
});

export const inboundMessage = (
  text: string,
  id = '00000000-0000-4000-8000-00000000a001',
): MessageDto => ({
  id,
  direction: 'inbound',
  externalId: `ext-${id}`,
  authorHandle: '@sanne@social.example',
  text,
  attachments: [],
  createdAt: '2026-11-26T09:00:00.000Z',
  externalUrl: `https://social.example/@sanne/${id.slice(-4)}`,
});

export const TEMPLATE: TemplateDto = {
  id: '00000000-0000-4000-8000-0000000070a1',
  name: 'Factuur nagaan',
  body: 'Hoi {{customer.name}}, we kijken factuur {{input.factuur}} voor u na. ^{{agent.initials}}',
  providers: [],
  language: 'nl',
  inputs: ['factuur'],
  createdBy: null,
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
  toneOk: { mastodon: true, bluesky: true, x: true, facebook: true, instagram: true },
};

/** The tone check of these tests: "je" is an error (the profile is formal), "!!" a warning. */
export function fakeToneCheck(text: string): ToneCheckResultDto {
  const findings: ToneFindingDto[] = [];
  for (const match of text.matchAll(/\bje\b/g)) {
    findings.push({
      ruleId: 'address.informal',
      severity: 'error',
      message: 'Informeel aangesproken',
      start: match.index,
      end: match.index + match[0].length,
      suggestion: 'u',
    });
  }
  for (const match of text.matchAll(/!!+/g)) {
    findings.push({
      ruleId: 'punctuation.exclamations',
      severity: 'warning',
      message: 'Te veel uitroeptekens',
      start: match.index,
      end: match.index + match[0].length,
    });
  }
  return { ok: !findings.some((f) => f.severity === 'error'), findings };
}

const page = <T>(items: T[]) => ({ status: 200, body: { items, nextCursor: null } });

/**
 * The inbox routes of the fake API for one conversation: detail, lists (filtered by status
 * and assignee as the server does), users, policy at `level`, templates, the tone check
 * above, and replies (recorded in `replies`).
 */
export function withInbox(
  fake: FakeApi,
  {
    conversations = [makeConversation()],
    messages = [inboundMessage('Mijn factuur klopt niet, kunnen jullie kijken?')],
    level = 2,
  }: { conversations?: ConversationDto[]; messages?: MessageDto[]; level?: MaturityLevel } = {},
) {
  const replies: StubRequest[] = [];
  const byStatus = (request: StubRequest) => {
    const statuses = request.query.status?.split(',');
    return conversations.filter((c) => !statuses || statuses.includes(c.status));
  };
  for (const conversation of conversations) {
    fake.override(`GET /api/conversations/${conversation.id}`, () => ({
      status: 200,
      body: { ...conversation, messages } satisfies ConversationDetailDto,
    }));
    fake.override(`GET /api/conversations/${conversation.id}/replies`, () => page([]));
    fake.override(`POST /api/conversations/${conversation.id}/replies`, (request) => {
      replies.push(request);
      return {
        status: 201,
        body: { id: `reply-${replies.length}`, status: 'queued', conversationId: conversation.id },
      };
    });
  }
  // Ordered as the server orders: `sla` earliest due first, `activity` newest first.
  const sorted = (request: StubRequest) =>
    [...byStatus(request)].sort((a, b) =>
      request.query.sort === 'sla'
        ? Date.parse(a.slaDueAt ?? '9999-01-01') - Date.parse(b.slaDueAt ?? '9999-01-01')
        : Date.parse(b.lastMessageAt) - Date.parse(a.lastMessageAt),
    );
  fake.override('GET /api/conversations', (request) => page(sorted(request)));
  // What each inbox tab lists for the caller (InboxPage's tabFilters), capped at 1000.
  fake.override('GET /api/conversations/counts', (request) => {
    const me = fake.callerOf(request);
    const count = (keep: (c: ConversationDto) => boolean) =>
      Math.min(1000, conversations.filter(keep).length);
    const lead = me?.role === 'admin' || me?.role === 'team_lead';
    return {
      status: 200,
      body: {
        mine: count((c) => c.status === 'assigned' && c.assigneeId === me?.id),
        unassigned: count((c) => c.status === 'unassigned'),
        waiting: count((c) => c.status === 'waiting' && (lead || c.assigneeId === me?.id)),
        closed: count((c) => c.status === 'closed'),
        computedAt: new Date().toISOString(),
      },
    };
  });
  fake.override('GET /api/users', () => page([ADMIN, LEAD, AGENT]));
  fake.override('GET /api/users/eligible', () => page([ADMIN, LEAD, AGENT]));
  fake.override('GET /api/org/policy', () => ({
    status: 200,
    body: {
      level,
      rules: DEFAULT_POLICY_MATRIX[`${level}`],
      matrix: DEFAULT_POLICY_MATRIX,
      trustLadder: { approvalsToLift: 20 },
    },
  }));
  fake.override('GET /api/templates', () => page([TEMPLATE]));
  fake.override('POST /api/tone/check', (request) => ({
    status: 200,
    body: fakeToneCheck((request.body as { text: string }).text),
  }));
  return { replies };
}
