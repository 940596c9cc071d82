import { screen, waitFor, within } from '@testing-library/react';
import type { ConversationDto } from '@toonbank/shared';
import { createFakeApi } from '../test/fakeApi';
import { createFakeSocket } from '../test/fakeSocket';
import { AGENT } from '../test/fixtures';
import { inboundMessage, makeConversation, withInbox } from '../test/inboxFakes';
import { renderApp } from '../test/renderApp';

const conversation = (n: number, overrides: Partial<ConversationDto> = {}) =>
  makeConversation({
    id: `00000000-0000-4000-8000-0000000c${String(n).padStart(4, '0')}`,
    reference: `DEMO-${n}`,
    customer: { handle: `@klant${n}@social.example`, name: null },
    preview: `Vraag ${n}`,
    ...overrides,
  });

const openInbox = (conversations: ConversationDto[], route = '/inbox?tab=unassigned') => {
  const fake = createFakeApi({ users: [AGENT] });
  withInbox(fake, { conversations, messages: [inboundMessage('Hallo')] });
  fake.rememberSession(AGENT.email);
  const socket = createFakeSocket();
  return { fake, conversations, ...renderApp(fake, { route, socket }) };
};

const rows = async (name: string) =>
  within(await screen.findByRole('list', { name }))
    .getAllByRole('link')
    .map((link) => link.querySelector('.row-handle')?.textContent);

describe('Inbox', () => {
  it('shows each tab’s conversations with channel, handle and SLA clock', async () => {
    openInbox([
      conversation(1, { status: 'unassigned', assigneeId: null }),
      conversation(2, { status: 'assigned', provider: 'x' }),
    ]);

    expect(await rows('Niet toegewezen')).toEqual(['@klant1@social.example']);
    const list = screen.getByRole('list', { name: 'Niet toegewezen' });
    expect(within(list).getByRole('img', { name: 'Mastodon' })).toBeInTheDocument();
    expect(within(list).getByText(/^nog (39|40) min$/)).toHaveClass('sla');
  });

  it('paints a breached SLA red', async () => {
    openInbox([
      conversation(1, {
        status: 'unassigned',
        assigneeId: null,
        slaDueAt: new Date(Date.now() - 5 * 60_000).toISOString(),
      }),
    ]);
    expect(await screen.findByText('5 min te laat')).toHaveClass('sla-breached');
  });

  it('shows a new conversation from the socket without a reload, and drops one claimed elsewhere', async () => {
    const first = conversation(1, { status: 'unassigned', assigneeId: null });
    const { socket, conversations } = openInbox([first]);
    expect(await rows('Niet toegewezen')).toEqual(['@klant1@social.example']);

    const fresh = conversation(2, { status: 'unassigned', assigneeId: null });
    conversations.push(fresh); // the server has it now
    socket.serverSends('conversation.created', fresh);
    await waitFor(async () =>
      expect(await rows('Niet toegewezen')).toEqual([
        '@klant1@social.example',
        '@klant2@social.example',
      ]),
    );

    // Claimed by a colleague: it leaves the queue at once.
    socket.serverSends('conversation.updated', { ...first, status: 'assigned', assigneeId: 'x' });
    await waitFor(async () =>
      expect(await rows('Niet toegewezen')).toEqual(['@klant2@social.example']),
    );
  });

  it('reads the lists again after the live connection comes back', async () => {
    const { socket, fake } = openInbox([
      conversation(1, { status: 'unassigned', assigneeId: null }),
    ]);
    await rows('Niet toegewezen');
    const before = fake.sent('GET', '/api/conversations').length;

    socket.reconnect();
    await waitFor(() =>
      expect(fake.sent('GET', '/api/conversations').length).toBeGreaterThan(before),
    );
  });

  it('reads the lists and the open conversation again when the server asks for a resync', async () => {
    const first = conversation(1, { status: 'unassigned', assigneeId: null });
    const { socket, fake } = openInbox([first], `/inbox/${first.id}?tab=unassigned`);
    await rows('Niet toegewezen');
    await screen.findByRole('heading', { name: /@klant1@social.example/ });
    const lists = fake.sent('GET', '/api/conversations').length;
    const detail = fake.sent('GET', `/api/conversations/${first.id}`).length;
    expect(detail).toBeGreaterThan(0);

    socket.serverSends('resync', { reason: 'redis_reconnected' });

    await waitFor(() => {
      expect(fake.sent('GET', '/api/conversations').length).toBeGreaterThan(lists);
      expect(fake.sent('GET', `/api/conversations/${first.id}`).length).toBeGreaterThan(detail);
    });
    expect(socket.connects).toBe(1); // the connection itself was fine
  });

  it('moves through the list with j and k and claims with c', async () => {
    const { user, fake } = openInbox([
      conversation(1, { status: 'unassigned', assigneeId: null }),
      conversation(2, { status: 'unassigned', assigneeId: null }),
    ]);
    let claimed = '';
    fake.override(`POST /api/conversations/${conversation(2).id}/claim`, () => {
      claimed = conversation(2).id;
      return { status: 200, body: conversation(2, { status: 'assigned', assigneeId: AGENT.id }) };
    });
    await rows('Niet toegewezen');

    await user.keyboard('j');
    expect(
      await screen.findByRole('heading', { name: /@klant1@social.example/ }),
    ).toBeInTheDocument();
    await user.keyboard('j');
    expect(
      await screen.findByRole('heading', { name: /@klant2@social.example/ }),
    ).toBeInTheDocument();
    await user.keyboard('c');
    await waitFor(() => expect(claimed).toBe(conversation(2).id));
  });

  it('shows a mention as a notification that links to the conversation', async () => {
    const { socket } = openInbox([conversation(1, { status: 'unassigned', assigneeId: null })]);
    await rows('Niet toegewezen');
    socket.serverSends('notification', {
      type: 'mention',
      conversationId: conversation(1).id,
      text: 'Lars noemde je in DEMO-1',
    });
    const toast = await screen.findByRole('link', { name: 'Vermelding' });
    expect(toast).toHaveAttribute('href', `/inbox/${conversation(1).id}`);
    expect(screen.getByText('Lars noemde je in DEMO-1')).toBeInTheDocument();
  });

  it('words a notification in the user’s language from its fields', async () => {
    const { socket } = openInbox([conversation(1, { status: 'unassigned', assigneeId: null })]);
    await rows('Niet toegewezen');
    socket.serverSends('notification', {
      type: 'reply_rejected',
      conversationId: conversation(1).id,
      replyId: 'reply-1',
      text: 'Your reply was rejected: Geen <b>klantnummers</b> publiek.',
      actorName: 'Anna de Vries',
      quote: 'Geen <b>klantnummers</b> publiek.',
    });
    socket.serverSends('notification', {
      type: 'sla_breach',
      conversationId: conversation(1).id,
      text: 'First-response time passed: DEMO-1 (@klant1@social.example)',
      reference: 'DEMO-1',
    });
    expect(
      await screen.findByText(
        'Anna de Vries keurde je antwoord af: Geen <b>klantnummers</b> publiek.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('Eerste reactietijd verstreken: DEMO-1')).toBeInTheDocument();
  });
});
