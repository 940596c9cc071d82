import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { EligibleUserDto, ReplyDto } from '@toonbank/shared';
import { createFakeApi } from '../test/fakeApi';
import { AGENT, LEAD } from '../test/fixtures';
import { makeConversation, withInbox } from '../test/inboxFakes';
import { renderApp } from '../test/renderApp';

const queued = makeConversation({ status: 'unassigned', assigneeId: null, reference: 'DEMO-9' });
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

const openBoard = (pending: ReplyDto[] = []) => {
  const fake = createFakeApi({ users: [LEAD] });
  withInbox(fake, { conversations: [queued] });
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
  return { fake, ...renderApp(fake, { route: '/board' }) };
};

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
    const item = (await screen.findByRole('link', { name: queued.customer.handle })).closest('li')!;
    const person = screen.getByText('3 / 10 open').closest('li')!;
    const store = new Map<string, string>();
    const dataTransfer = {
      setData: (type: string, value: string) => store.set(type, value),
      getData: (type: string) => store.get(type) ?? '',
      get types() {
        return [...store.keys()];
      },
      effectAllowed: 'all',
    };
    fireEvent.dragStart(item, { dataTransfer });
    fireEvent.dragOver(person, { dataTransfer });
    fireEvent.drop(person, { dataTransfer });
    await waitFor(() => expect(assigned).toEqual({ userId: AGENT.id }));
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
