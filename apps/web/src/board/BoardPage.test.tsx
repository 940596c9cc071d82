import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import {
  ErrorCode,
  type ConversationDto,
  type EligibleUserDto,
  type NotificationDto,
  type ReplyDto,
} from '@toonbank/shared';
import { createFakeApi, deferred, errorResponse, type StubResponse } from '../test/fakeApi';
import { AGENT, LEAD } from '../test/fixtures';
import { makeConversation, withInbox } from '../test/inboxFakes';
import { renderApp } from '../test/renderApp';
import { createFakeSocket } from '../test/fakeSocket';

const queued = makeConversation({ status: 'unassigned', assigneeId: null, reference: 'DEMO-9' });
/** A queue of `n` more conversations, DEMO-101 upwards, for the drag tests. */
const many = (n: number): ConversationDto[] =>
  Array.from({ length: n }, (_, i) =>
    makeConversation({
      id: `00000000-0000-4000-8000-${String(100 + i).padStart(12, '0')}`,
      status: 'unassigned',
      assigneeId: null,
      reference: `DEMO-${101 + i}`,
      customer: { handle: `@klant${101 + i}@social.example`, name: `Klant ${101 + i}` },
    }),
  );

/** A stand-in for the browser's DataTransfer (jsdom has none), shared by one drag's events. */
const dataTransfer = () => {
  const store = new Map<string, string>();
  return {
    setData: (type: string, value: string) => store.set(type, value),
    getData: (type: string) => store.get(type) ?? '',
    get types() {
      return [...store.keys()];
    },
    effectAllowed: 'all',
    dropEffect: 'none',
  };
};
const reply = (overrides: Partial<ReplyDto>): ReplyDto => ({
  id: '00000000-0000-4000-8000-00000000f001',
  conversationId: queued.id,
  authorId: AGENT.id,
  text: 'Wij kijken het voor u na. ^BJ',
  templateId: null,
  private: false,
  status: 'pending_approval',
  externalId: null,
  externalUrl: null,
  error: null,
  failure: null,
  approvedBy: null,
  rejectionComment: null,
  createdAt: '2026-11-26T09:00:00.000Z',
  sentAt: null,
  toneFindings: [],
  inReplyToMessageId: null,
  ...overrides,
});

const openBoard = (
  pending: ReplyDto[] = [],
  { conversations = [queued], socket = createFakeSocket() } = {},
) => {
  const fake = createFakeApi({ users: [LEAD] });
  withInbox(fake, { conversations });
  const people: EligibleUserDto[] = [
    { ...AGENT, openConversations: 3 },
    { ...LEAD, openConversations: 10, available: false },
  ];
  fake.override('GET /api/users/eligible', () => ({
    status: 200,
    body: { items: people, nextCursor: null },
  }));
  fake.override('GET /api/replies', () => ({
    status: 200,
    body: { items: pending, nextCursor: null },
  }));
  fake.rememberSession(LEAD.email);
  return { fake, ...renderApp(fake, { route: '/board', socket }) };
};

/** The queue card of a conversation (found by its handle's link). */
const cardOf = async (conversation: ConversationDto) =>
  (await screen.findByRole('link', { name: conversation.customer.handle })).closest('li')!;
const personCard = (load: string) => screen.getByText(load).closest('li')!;

describe('Team-lead board', () => {
  it('shows each eligible person’s load against capacity and availability', async () => {
    openBoard();
    expect(await screen.findByText('3 / 10 open')).not.toHaveClass('counter-over');
    expect(screen.getByText('10 / 10 open')).toHaveClass('counter-over');
    expect(screen.getByText('niet beschikbaar')).toBeInTheDocument();
  });

  it('assigns from the queue by menu', async () => {
    const { fake, user } = openBoard();
    let assigned: unknown;
    fake.override(`POST /api/conversations/${queued.id}/assign`, (request) => {
      assigned = request.body;
      return { status: 200, body: { ...queued, status: 'assigned', assigneeId: AGENT.id } };
    });
    const menu = await screen.findByLabelText('DEMO-9 toewijzen aan');
    await user.selectOptions(menu, 'Bram Jansen (3/10)');
    await waitFor(() => expect(assigned).toEqual({ userId: AGENT.id }));
  });

  it('assigns by dragging a conversation onto a person', async () => {
    const { fake } = openBoard();
    let assigned: unknown;
    fake.override(`POST /api/conversations/${queued.id}/assign`, (request) => {
      assigned = request.body;
      return { status: 200, body: { ...queued, status: 'assigned', assigneeId: AGENT.id } };
    });
    const item = await cardOf(queued);
    const person = personCard('3 / 10 open');
    const drag = { dataTransfer: dataTransfer() };
    fireEvent.dragStart(item, drag);
    fireEvent.dragOver(person, drag);
    fireEvent.drop(person, drag);
    await waitFor(() => expect(assigned).toEqual({ userId: AGENT.id }));
  });

  it('moves the card dragged, by its id, while a live update takes the card above it', async () => {
    const queue = many(40);
    const socket = createFakeSocket();
    const { fake } = openBoard([], { conversations: queue, socket });
    const assigned: string[] = [];
    // The server's queue: without what was assigned (the live update says so, too).
    const taken = new Set<string>();
    fake.override('GET /api/conversations', () => ({
      status: 200,
      body: { items: queue.filter((c) => !taken.has(c.id)), nextCursor: null },
    }));
    for (const conversation of queue)
      fake.override(`POST /api/conversations/${conversation.id}/assign`, () => {
        assigned.push(conversation.reference);
        taken.add(conversation.id);
        return { status: 200, body: { ...conversation, status: 'assigned', assigneeId: AGENT.id } };
      });
    const [top, dragged] = [queue[0], queue[37]];
    const item = await cardOf(dragged);
    const drag = { dataTransfer: dataTransfer() };
    fireEvent.pointerDown(item, { button: 0, pointerType: 'mouse' });
    fireEvent.dragStart(item, drag);
    // A colleague takes the top card mid-drag: it stays in place, marked, nothing shifts.
    taken.add(top.id);
    socket.serverSends('conversation.updated', {
      ...top,
      status: 'assigned',
      assigneeId: LEAD.id,
    } satisfies ConversationDto);
    const topCard = await cardOf(top);
    expect(within(topCard).getByText('Intussen opgepakt door een collega')).toBeInTheDocument();
    const cards = within(screen.getByRole('region', { name: /Niet toegewezen/ })).getAllByRole(
      'listitem',
    );
    expect(cards.indexOf(item)).toBe(37);
    const person = personCard('3 / 10 open');
    fireEvent.dragOver(person, drag);
    fireEvent.drop(person, drag);
    fireEvent.dragEnd(item, drag);
    await waitFor(() => expect(assigned).toEqual(['DEMO-138']));
    // The drag is over: the taken card and the assigned one have left the queue.
    await waitFor(() =>
      expect(screen.queryByRole('link', { name: top.customer.handle })).not.toBeInTheDocument(),
    );
    expect(screen.queryByRole('link', { name: dragged.customer.handle })).not.toBeInTheDocument();
  });

  it('asks before assigning past capacity, naming the person and the load', async () => {
    const { fake, user } = openBoard();
    let assigned = 0;
    fake.override(`POST /api/conversations/${queued.id}/assign`, () => {
      assigned += 1;
      return { status: 200, body: { ...queued, status: 'assigned', assigneeId: LEAD.id } };
    });
    const menu = await screen.findByLabelText('DEMO-9 toewijzen aan');
    await user.selectOptions(menu, 'Lars Bakker (10/10)');
    const dialog = screen.getByRole('dialog', { name: 'Meer dan de capaciteit van Lars Bakker?' });
    expect(dialog).toHaveTextContent(
      'Lars Bakker heeft dan 11/10 open gesprekken, meer dan de capaciteit van 10. DEMO-9 toch toewijzen?',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Annuleren' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(assigned).toBe(0);

    await user.selectOptions(menu, 'Lars Bakker (10/10)');
    await user.click(screen.getByRole('button', { name: 'Toch toewijzen aan Lars Bakker' }));
    await waitFor(() => expect(assigned).toBe(1));
  });

  it.each([
    [
      ErrorCode.AssignmentNotEligible,
      errorResponse(422, ErrorCode.AssignmentNotEligible),
      'DEMO-9 is niet naar Bram Jansen gegaan: Bram Jansen mag nu geen gesprekken krijgen (niet meer actief of niet bevoegd op het huidige niveau). Het gesprek staat nog in de wachtrij.',
    ],
    [
      ErrorCode.Conflict,
      errorResponse(409, ErrorCode.Conflict),
      'DEMO-9 is niet naar Bram Jansen gegaan: het gesprek is intussen gesloten en staat niet meer in de wachtrij. Heropen het in de inbox als het toch aandacht nodig heeft.',
    ],
    [
      ErrorCode.NotFound,
      errorResponse(404, ErrorCode.NotFound),
      'DEMO-9 bestaat niet meer en is uit de wachtrij gehaald.',
    ],
    [
      ErrorCode.ServiceUnavailable,
      errorResponse(503, ErrorCode.ServiceUnavailable),
      'DEMO-9 is niet naar Bram Jansen gegaan. Dit kan nu niet: een deel van Toonbank is onbereikbaar. Probeer het later opnieuw.',
    ],
  ])('explains a refusal (%s) in its own words', async (_code, answer: StubResponse, text) => {
    const { fake, user } = openBoard();
    fake.override(`POST /api/conversations/${queued.id}/assign`, () => answer);
    const menu = await screen.findByLabelText('DEMO-9 toewijzen aan');
    const reads = () =>
      ['/api/conversations', '/api/users/eligible', '/api/me', '/api/org', '/api/replies'].map(
        (path) => fake.sent('GET', path).length,
      );
    const before = reads();
    await user.selectOptions(menu, 'Bram Jansen (3/10)');
    expect(await screen.findByText(text)).toBeInTheDocument();
    // The queue and everyone's load are read again, once; nothing else on the board.
    await waitFor(() =>
      expect(reads()).toEqual([before[0]! + 1, before[1]! + 1, before[2], before[3], before[4]]),
    );
    await user.click(screen.getByRole('button', { name: 'Sluiten' }));
    expect(screen.queryByText(text)).not.toBeInTheDocument();
  });

  it('shows skeleton rows while the queue loads, and a retry when loading failed', async () => {
    const fake = createFakeApi({ users: [LEAD] });
    withInbox(fake, { conversations: [queued] });
    fake.override('GET /api/replies', () => ({
      status: 200,
      body: { items: [], nextCursor: null },
    }));
    const held = deferred<StubResponse>();
    let calls = 0;
    fake.override('GET /api/conversations', () => {
      calls += 1;
      return calls === 1
        ? held.promise
        : { status: 200, body: { items: [queued], nextCursor: null } };
    });
    fake.rememberSession(LEAD.email);
    const { user } = renderApp(fake, { route: '/board' });
    expect(await screen.findByText('Wachtrij laden…')).toBeInTheDocument();
    await act(async () => held.resolve(errorResponse(500, ErrorCode.Internal)));
    await user.click(await screen.findByRole('button', { name: 'Opnieuw proberen' }));
    expect(await screen.findByRole('link', { name: queued.customer.handle })).toBeInTheDocument();
  });

  it('on a phone shows one part at a time behind tabs', async () => {
    const matchMedia = window.matchMedia;
    window.matchMedia = ((query: string) => ({
      matches: true,
      media: query,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
    })) as unknown as typeof window.matchMedia;
    try {
      const { user } = openBoard();
      const queueTab = await screen.findByRole('tab', { name: /Wachtrij/ });
      expect(queueTab).toHaveAttribute('aria-selected', 'true');
      expect(await screen.findByRole('link', { name: queued.customer.handle })).toBeVisible();
      expect(document.getElementById('board-panel-team')).not.toBeVisible();
      queueTab.focus();
      await user.keyboard('{ArrowLeft}');
      expect(screen.getByRole('tab', { name: /Team/ })).toHaveAttribute('aria-selected', 'true');
      expect(screen.getByRole('tab', { name: /Team/ })).toHaveFocus();
      expect(await screen.findByText('3 / 10 open')).toBeVisible();
      expect(document.getElementById('board-panel-queue')).not.toBeVisible();
    } finally {
      window.matchMedia = matchMedia;
    }
  });

  it('shows three toasts at most, counts the rest, and dismisses them all at once', async () => {
    const socket = createFakeSocket();
    openBoard([], { socket });
    await screen.findByText('3 / 10 open');
    for (const reference of ['DEMO-1', 'DEMO-2', 'DEMO-3', 'DEMO-4', 'DEMO-5'])
      socket.serverSends('notification', {
        type: 'sla_breach',
        conversationId: queued.id,
        text: `SLA breached: ${reference}`,
        reference,
      } satisfies NotificationDto);
    const toasts = screen.getByRole('list', { name: 'Meldingen' });
    expect(within(toasts).getAllByRole('listitem')).toHaveLength(3);
    expect(within(toasts).getByText('Eerste reactietijd verstreken: DEMO-5')).toBeInTheDocument();
    expect(screen.getByText('+2 meer')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Alle meldingen sluiten' }));
    expect(within(toasts).queryAllByRole('listitem')).toHaveLength(0);
  });

  it('approves a reply, and rejects one only with a comment', async () => {
    const { fake, user } = openBoard([reply({})]);
    const decisions: { path: string; body: unknown }[] = [];
    for (const action of ['approve', 'reject'])
      fake.override(`POST /api/replies/${reply({}).id}/${action}`, (request) => {
        decisions.push({ path: request.path, body: request.body });
        return {
          status: 200,
          body: reply({ status: action === 'approve' ? 'queued' : 'rejected' }),
        };
      });

    await user.click(
      await screen.findByRole('button', { name: 'Antwoord van Bram Jansen afkeuren' }),
    );
    const dialog = screen.getByRole('dialog', { name: 'Antwoord afkeuren' });
    const confirm = within(dialog).getByRole('button', { name: 'Afkeuren' });
    expect(confirm).toBeDisabled();
    await user.type(within(dialog).getByLabelText('Toelichting voor de schrijver'), 'Graag met u');
    await user.click(confirm);
    await user.click(screen.getByRole('button', { name: 'Antwoord van Bram Jansen goedkeuren' }));

    await waitFor(() => expect(decisions).toHaveLength(2));
    expect(decisions).toEqual([
      { path: `/api/replies/${reply({}).id}/reject`, body: { comment: 'Graag met u' } },
      { path: `/api/replies/${reply({}).id}/approve`, body: undefined },
    ]);
  });

  it('never offers to approve one’s own reply', async () => {
    openBoard([reply({ authorId: LEAD.id })]);
    expect(
      await screen.findByRole('button', { name: 'Antwoord van Lars Bakker goedkeuren' }),
    ).toBeDisabled();
    expect(
      screen.getAllByText('Je kunt je eigen antwoord niet goedkeuren.').length,
    ).toBeGreaterThan(0);
  });
});
