import { screen, waitFor, within } from '@testing-library/react';
import type { ConversationDto } from '@toonbank/shared';
import { createFakeApi } from '../test/fakeApi';
import { createFakeSocket } from '../test/fakeSocket';
import { AGENT, EMPLOYEE } from '../test/fixtures';
import { inboundMessage, makeConversation, withInbox } from '../test/inboxFakes';
import { renderApp } from '../test/renderApp';
import { memoryKey } from './inboxMemory';

const conversation = (n: number, overrides: Partial<ConversationDto> = {}) =>
  makeConversation({
    id: `00000000-0000-4000-8000-0000000c${String(n).padStart(4, '0')}`,
    reference: `DEMO-${n}`,
    customer: { handle: `@klant${n}@social.example`, name: null },
    preview: `Vraag ${n}`,
    ...overrides,
  });

const openInbox = (
  conversations: ConversationDto[],
  route = '/inbox?tab=unassigned',
  user = AGENT,
) => {
  const fake = createFakeApi({ users: [AGENT, EMPLOYEE] });
  withInbox(fake, { conversations, messages: [inboundMessage('Hallo')] });
  fake.rememberSession(user.email);
  const socket = createFakeSocket();
  return { fake, conversations, ...renderApp(fake, { route, socket }) };
};

/** The first use is known (by the server's clock, from the counts): "new" is decided from it. */
const firstUseKnown = (user = AGENT) =>
  waitFor(() =>
    expect(JSON.parse(window.localStorage.getItem(memoryKey(user.id)) ?? '{}')).toMatchObject({
      since: expect.any(String),
    }),
  );

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

  it('shows each tab’s count, described on the tab, capped at 999+, and live from counts.updated', async () => {
    const { socket } = openInbox([
      conversation(1, { status: 'unassigned', assigneeId: null }),
      conversation(2, { status: 'unassigned', assigneeId: null }),
      conversation(3, { status: 'assigned' }),
    ]);
    const unassigned = await screen.findByRole('tab', { name: 'Niet toegewezen' });
    await waitFor(() => expect(unassigned).toHaveAccessibleDescription('2 gesprekken'));
    expect(screen.getByRole('tab', { name: 'Van mij' })).toHaveAccessibleDescription('1 gesprek');
    expect(within(unassigned).getByText('2')).toHaveClass('tab-count');

    socket.serverSends('counts.updated', {
      mine: 1,
      unassigned: 1000,
      waiting: 12,
      closed: 0,
      computedAt: new Date(Date.now() + 1_000).toISOString(),
    });
    expect(await within(unassigned).findByText('999+')).toBeInTheDocument();
    expect(unassigned).toHaveAccessibleDescription('999+ gesprekken');
    expect(screen.getByRole('tab', { name: 'Wachtend' })).toHaveAccessibleDescription(
      '12 gesprekken',
    );

    // An older snapshot arriving late does not turn the numbers back.
    socket.serverSends('counts.updated', {
      mine: 1,
      unassigned: 3,
      waiting: 0,
      closed: 0,
      computedAt: new Date(Date.now() - 60_000).toISOString(),
    });
    expect(within(unassigned).getByText('999+')).toBeInTheDocument();
  });

  it('switches lists with the mouse and with the arrow keys', async () => {
    const { user } = openInbox([
      conversation(1, { status: 'unassigned', assigneeId: null }),
      conversation(2, { status: 'waiting' }),
    ]);
    await rows('Niet toegewezen');
    await user.click(screen.getByRole('tab', { name: 'Wachtend' }));
    expect(await rows('Wachtend')).toEqual(['@klant2@social.example']);
    expect(screen.getByRole('tab', { name: 'Wachtend' })).toHaveAttribute('aria-selected', 'true');
    await user.keyboard('{ArrowLeft}');
    expect(await rows('Niet toegewezen')).toEqual(['@klant1@social.example']);
    expect(screen.getByRole('tab', { name: 'Niet toegewezen' })).toHaveFocus();
  });

  it('marks conversations new since first use until opened, and remembers it per user', async () => {
    const old = conversation(1, {
      status: 'unassigned',
      assigneeId: null,
      lastMessageAt: new Date(Date.now() - 60_000).toISOString(),
    });
    const { socket, conversations, user, unmount, fake } = openInbox([old]);
    await rows('Niet toegewezen');
    await firstUseKnown();
    // First use: nothing is new.
    expect(screen.queryByText('Nieuw')).not.toBeInTheDocument();

    const fresh = conversation(2, {
      status: 'unassigned',
      assigneeId: null,
      lastMessageAt: new Date(Date.now() + 1_000).toISOString(),
    });
    conversations.push(fresh);
    fake.override(`GET /api/conversations/${fresh.id}`, () => ({
      status: 200,
      body: { ...fresh, messages: [inboundMessage('Nieuw hier')] },
    }));
    socket.serverSends('conversation.created', fresh);
    const list = () => screen.getByRole('list', { name: 'Niet toegewezen' });
    const freshRow = await within(
      await screen.findByRole('list', { name: 'Niet toegewezen' }),
    ).findByRole('link', { name: /Nieuw @klant2@social\.example/ });
    expect(within(list()).getAllByText('Nieuw')).toHaveLength(1);

    await user.click(freshRow);
    await screen.findByRole('heading', { name: /@klant2@social.example/ });
    await waitFor(() => expect(within(list()).queryByText('Nieuw')).not.toBeInTheDocument());
    unmount();

    // Seen stays seen after a reload; a new message makes it new again.
    const reloaded = openInbox([old, fresh]);
    await rows('Niet toegewezen');
    expect(screen.queryByText('Nieuw')).not.toBeInTheDocument();
    reloaded.socket.serverSends('conversation.updated', {
      ...fresh,
      lastMessageAt: new Date(Date.now() + 5_000).toISOString(),
    });
    expect(
      await within(screen.getByRole('list', { name: 'Niet toegewezen' })).findByText('Nieuw'),
    ).toHaveClass('row-new');
  });

  it('decides "new" by the server’s clock: a browser clock an hour ahead hides no new work', async () => {
    const serverNow = Date.now;
    const ahead = jest.spyOn(Date, 'now').mockImplementation(() => serverNow() + 3_600_000);
    try {
      const old = conversation(1, {
        status: 'unassigned',
        assigneeId: null,
        lastMessageAt: new Date(serverNow() - 60_000).toISOString(),
      });
      const { socket, conversations } = openInbox([old]);
      await rows('Niet toegewezen');
      await firstUseKnown();
      expect(screen.queryByText('Nieuw')).not.toBeInTheDocument();
      // A message a second later by the server's clock, an hour before the browser's "now".
      const fresh = conversation(2, {
        status: 'unassigned',
        assigneeId: null,
        lastMessageAt: new Date(serverNow() + 1_000).toISOString(),
      });
      conversations.push(fresh);
      socket.serverSends('conversation.created', fresh);
      expect(
        await within(screen.getByRole('list', { name: 'Niet toegewezen' })).findByText('Nieuw'),
      ).toHaveClass('row-new');
    } finally {
      ahead.mockRestore();
    }
  });

  it('orders the open work by SLA or by newest, as the user chose, remembered after a reload', async () => {
    const early = conversation(1, {
      status: 'unassigned',
      assigneeId: null,
      lastMessageAt: new Date(Date.now() - 3 * 3_600_000).toISOString(),
      slaDueAt: new Date(Date.now() - 3_600_000).toISOString(),
    });
    const late = conversation(2, {
      status: 'unassigned',
      assigneeId: null,
      lastMessageAt: new Date(Date.now() - 60_000).toISOString(),
      slaDueAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const { user, fake, unmount } = openInbox([early, late]);
    expect(await rows('Niet toegewezen')).toEqual([
      '@klant1@social.example',
      '@klant2@social.example',
    ]);
    const newest = screen.getByRole('button', { name: 'Nieuwste eerst' });
    expect(screen.getByRole('button', { name: 'SLA eerst' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    await user.click(newest);
    await waitFor(async () =>
      expect(await rows('Niet toegewezen')).toEqual([
        '@klant2@social.example',
        '@klant1@social.example',
      ]),
    );
    expect(fake.sent('GET', '/api/conversations').at(-1)!.query.sort).toBe('activity');
    unmount();

    const again = openInbox([early, late]);
    expect(await rows('Niet toegewezen')).toEqual([
      '@klant2@social.example',
      '@klant1@social.example',
    ]);
    expect(screen.getByRole('button', { name: 'Nieuwste eerst' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    expect(again.fake.sent('GET', '/api/conversations')[0]!.query.sort).toBe('activity');
  });

  it('tells quietly of new unassigned work elsewhere in the inbox, to people who may take it', async () => {
    const { socket, conversations, user } = openInbox([], '/inbox?tab=mine');
    await screen.findByRole('tab', { name: 'Van mij' });
    await firstUseKnown();
    const notice = () => document.querySelector('.new-work')!;
    expect(notice()).toHaveAttribute('role', 'status');
    expect(notice()).toBeEmptyDOMElement();

    const fresh = (n: number) =>
      conversation(n, {
        status: 'unassigned',
        assigneeId: null,
        lastMessageAt: new Date(Date.now() + 1_000).toISOString(),
      });
    conversations.push(fresh(1), fresh(2));
    socket.serverSends('conversation.created', fresh(1));
    socket.serverSends('conversation.created', fresh(2));
    expect(await screen.findByText('2 nieuwe gesprekken in Niet toegewezen.')).toBeInTheDocument();

    // Claimed by a colleague meanwhile: no longer waiting for anyone.
    const taken = { ...fresh(2), status: 'assigned' as const, assigneeId: 'someone-else' };
    conversations.splice(1, 1, taken);
    socket.serverSends('conversation.updated', taken);
    expect(await screen.findByText('1 nieuw gesprek in Niet toegewezen.')).toBeInTheDocument();

    await user.click(screen.getByRole('link', { name: 'Bekijken' }));
    expect(await rows('Niet toegewezen')).toEqual(['@klant1@social.example']);
    expect(notice()).toBeEmptyDOMElement();
  });

  it('gives no such notice to someone who may not take work', async () => {
    const { socket } = openInbox([], '/inbox?tab=mine', EMPLOYEE);
    await screen.findByRole('tab', { name: 'Van mij' });
    socket.serverSends(
      'conversation.created',
      conversation(1, { status: 'unassigned', assigneeId: null }),
    );
    expect(document.querySelector('.new-work')).toBeNull();
    expect(screen.queryByText(/nieuw gesprek/)).not.toBeInTheDocument();
  });

  it('closes with e right after claiming with c, though the conversation left the queue', async () => {
    const first = conversation(1, { status: 'unassigned', assigneeId: null });
    const second = conversation(2, { status: 'unassigned', assigneeId: null });
    const { user, fake, socket } = openInbox([first, second], `/inbox/${first.id}?tab=unassigned`);
    const claimed = { ...first, status: 'assigned' as const, assigneeId: AGENT.id };
    fake.override(`POST /api/conversations/${first.id}/claim`, () => ({
      status: 200,
      body: claimed,
    }));
    const closed: string[] = [];
    fake.override(`POST /api/conversations/${first.id}/close`, () => {
      closed.push(first.id);
      return { status: 200, body: { ...claimed, status: 'closed' } };
    });
    await screen.findByRole('heading', { name: /@klant1@social.example/ });
    await rows('Niet toegewezen');

    await user.keyboard('c');
    await waitFor(() =>
      expect(fake.sent('POST', `/api/conversations/${first.id}/claim`)).toHaveLength(1),
    );
    socket.serverSends('conversation.updated', claimed);
    await waitFor(async () =>
      expect(await rows('Niet toegewezen')).toEqual(['@klant2@social.example']),
    );

    await user.keyboard('e');
    await waitFor(() => expect(closed).toEqual([first.id]));
    // Moving on: j opens the one that took its place.
    await user.keyboard('j');
    expect(
      await screen.findByRole('heading', { name: /@klant2@social.example/ }),
    ).toBeInTheDocument();
  });

  it('focuses the composer’s focus target with r, and brings it into view', async () => {
    const mine = conversation(1, { status: 'assigned', assigneeId: AGENT.id });
    const { user } = openInbox([mine], `/inbox/${mine.id}?tab=mine`);
    await screen.findByRole('heading', { name: /@klant1@social.example/ });
    // The composer marks what `r` should reach (the reply box here; the template search at level 1).
    await waitFor(() => expect(document.querySelector('[data-composer-focus]')).not.toBeNull());
    const target = document.querySelector<HTMLElement>('[data-composer-focus]')!;
    // No scrolling pane without the style sheets: the nearest scroll stands in for the pane's.
    const reveal = jest.fn();
    target.scrollIntoView = reveal;
    expect(target).not.toHaveFocus();
    await user.keyboard('r');
    expect(target).toHaveFocus();
    expect(reveal).toHaveBeenCalledWith({ block: 'nearest' });
  });

  it('shows skeleton rows while the list loads, and a failed load with a retry', async () => {
    const fake = createFakeApi({ users: [AGENT] });
    const only = conversation(1, { status: 'unassigned', assigneeId: null });
    withInbox(fake, { conversations: [only] });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    fake.override('GET /api/conversations', async () => {
      calls += 1;
      if (calls > 1) return { status: 200, body: { items: [only], nextCursor: null } };
      await held;
      return { status: 500, body: { statusCode: 500, code: 'internal', message: 'boom' } };
    });
    fake.rememberSession(AGENT.email);
    const { user } = renderApp(fake, { route: '/inbox?tab=unassigned' });
    const loading = await screen.findByRole('status', { busy: true });
    expect(loading.querySelectorAll('.skeleton-row')).toHaveLength(8);
    release();
    const retry = await screen.findByRole('button', { name: 'Opnieuw proberen' });
    await user.click(retry);
    expect(await rows('Niet toegewezen')).toEqual(['@klant1@social.example']);
  });
});
