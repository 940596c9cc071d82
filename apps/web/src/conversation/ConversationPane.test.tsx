import { screen, waitFor, within } from '@testing-library/react';
import type { ReplyDto, UserDto } from '@toonbank/shared';
import { LANGUAGE_STORAGE_KEY } from '../i18n';
import { createFakeApi, errorResponse } from '../test/fakeApi';
import { AGENT, LEAD } from '../test/fixtures';
import { CONVERSATION_ID, inboundMessage, makeConversation, withInbox } from '../test/inboxFakes';
import { renderApp } from '../test/renderApp';

const reply = (overrides: Partial<ReplyDto>): ReplyDto => ({
  id: '00000000-0000-4000-8000-0000000071a1',
  conversationId: CONVERSATION_ID,
  authorId: AGENT.id,
  text: 'Wij kijken het voor u na. ^BJ',
  templateId: null,
  private: false,
  status: 'queued',
  externalId: null,
  externalUrl: null,
  error: null,
  failure: null,
  approvedBy: null,
  rejectionComment: null,
  createdAt: '2026-11-26T09:05:00.000Z',
  sentAt: null,
  toneFindings: [],
  inReplyToMessageId: null,
  ...overrides,
});

const SENT_MESSAGE = {
  ...inboundMessage(
    'Dank voor het wachten, het is opgelost. ^BJ',
    '00000000-0000-4000-8000-00000000a002',
  ),
  direction: 'outbound' as const,
  authorHandle: '@demo@social.example',
  authorUserId: AGENT.id,
  replyId: '00000000-0000-4000-8000-0000000071a0',
  externalUrl: 'https://social.example/@demo/1002',
};

const open = (
  account: UserDto,
  {
    replies = [],
    conversation = makeConversation({ assigneeId: account.id }),
    language,
  }: {
    replies?: ReplyDto[];
    conversation?: ReturnType<typeof makeConversation>;
    language?: 'en';
  } = {},
) => {
  if (language) window.localStorage.setItem(LANGUAGE_STORAGE_KEY, language);
  const fake = createFakeApi({ users: [account] });
  withInbox(fake, {
    conversations: [conversation],
    messages: [inboundMessage('Mijn factuur klopt niet.'), SENT_MESSAGE],
  });
  let current = replies;
  fake.override(`GET /api/conversations/${CONVERSATION_ID}/replies`, () => ({
    status: 200,
    body: { items: current, nextCursor: null },
  }));
  fake.rememberSession(account.email);
  const view = renderApp(fake, { route: `/inbox/${CONVERSATION_ID}` });
  return { fake, ...view, setReplies: (next: ReplyDto[]) => (current = next) };
};

afterEach(() => window.localStorage.removeItem(LANGUAGE_STORAGE_KEY));

const repliesList = () => screen.findByRole('list', { name: 'Antwoorden onderweg' });

describe('Delivery state of our replies', () => {
  it('shows a sent reply as sent with a link to the post, and links customer posts too', async () => {
    open(AGENT);
    const thread = await screen.findByRole('list', { name: 'Berichten' });
    const [inbound, ours] = within(thread).getAllByRole('listitem');
    expect(within(ours!).getByText('Verstuurd')).toBeInTheDocument();
    expect(within(ours!).getByRole('link', { name: 'Bekijk op Mastodon' })).toHaveAttribute(
      'href',
      'https://social.example/@demo/1002',
    );
    expect(within(inbound!).getByRole('link', { name: 'Bekijk op Mastodon' })).toHaveAttribute(
      'href',
      'https://social.example/@sanne/a001',
    );
    expect(within(inbound!).queryByText('Verstuurd')).not.toBeInTheDocument();
  });

  it('never links anything but a web address', async () => {
    const fake = createFakeApi({ users: [AGENT] });
    withInbox(fake, {
      messages: [{ ...inboundMessage('Hoi'), externalUrl: 'javascript:alert(1)' }],
    });
    fake.rememberSession(AGENT.email);
    renderApp(fake, { route: `/inbox/${CONVERSATION_ID}` });
    const thread = await screen.findByRole('list', { name: 'Berichten' });
    expect(within(thread).queryByRole('link')).not.toBeInTheDocument();
  });

  it('queued, and failed with the reason: an agent sees that it never arrived but cannot resend', async () => {
    open(AGENT, {
      replies: [
        reply({ id: 'r-queued', text: 'Even geduld. ^BJ' }),
        reply({ status: 'failed', error: 'Account geblokkeerd', failure: 'not_sent' }),
      ],
    });
    const list = await repliesList();
    const [queued, failed] = within(list).getAllByRole('listitem');
    expect(queued).toHaveTextContent('Wordt verstuurd…');
    expect(failed).toHaveTextContent('Niet verstuurd');
    expect(failed).toHaveTextContent('Reden: Account geblokkeerd');
    expect(failed).toHaveTextContent('Dit antwoord heeft het kanaal niet bereikt.');
    expect(within(failed!).queryByRole('button')).not.toBeInTheDocument();
  });

  it('lets a team lead send a reply again that never reached the channel', async () => {
    const failed = reply({ status: 'failed', error: 'Verbinding geweigerd', failure: 'not_sent' });
    const { fake, user, setReplies } = open(LEAD, { replies: [failed] });
    fake.override(`POST /api/replies/${failed.id}/retry`, () => {
      setReplies([{ ...failed, status: 'queued', error: null, failure: null }]);
      return { status: 200, body: { ...failed, status: 'queued', error: null, failure: null } };
    });
    await user.click(await screen.findByRole('button', { name: 'Opnieuw versturen' }));

    await waitFor(() =>
      expect(screen.getByRole('list', { name: 'Antwoorden onderweg' })).toHaveTextContent(
        'Wordt verstuurd…',
      ),
    );
    expect(fake.sent('POST', `/api/replies/${failed.id}/retry`)).toHaveLength(1);
    expect(screen.queryByRole('button', { name: 'Opnieuw versturen' })).not.toBeInTheDocument();
  });

  it('a refused retry (409) is explained with the state the reply is in now', async () => {
    const failed = reply({ status: 'failed', error: 'Time-out', failure: 'not_sent' });
    const { fake, user, setReplies } = open(LEAD, { replies: [failed] });
    fake.override(`POST /api/replies/${failed.id}/retry`, () => {
      // A colleague was first: it is queued already.
      setReplies([{ ...failed, status: 'queued', error: null, failure: null }]);
      return errorResponse(409, 'conflict', 'Reply is not failed');
    });
    await user.click(await screen.findByRole('button', { name: 'Opnieuw versturen' }));
    expect(
      await screen.findByText('Opnieuw versturen kon niet: dit antwoord is nu „Wordt verstuurd…”.'),
    ).toBeInTheDocument();
  });

  it('when it may have been posted: check on the channel, with the link, never a resend button', async () => {
    open(LEAD, {
      replies: [
        reply({
          status: 'failed',
          error: 'Time-out na het versturen',
          failure: 'maybe_sent',
          externalUrl: 'https://social.example/@demo/1003',
        }),
      ],
    });
    const list = await repliesList();
    expect(list).toHaveTextContent(
      'Dit antwoord is misschien toch geplaatst. Kijk eerst op het kanaal; het wordt niet vanzelf opnieuw verstuurd.',
    );
    expect(within(list).getByRole('link', { name: 'Kijk op Mastodon' })).toHaveAttribute(
      'href',
      'https://social.example/@demo/1003',
    );
    expect(within(list).queryByRole('button')).not.toBeInTheDocument();
  });

  it('a failed read of the replies says so and offers to try again', async () => {
    const { fake, user } = open(AGENT);
    let fail = true;
    fake.override(`GET /api/conversations/${CONVERSATION_ID}/replies`, () =>
      fail
        ? errorResponse(503, 'unavailable', 'down')
        : { status: 200, body: { items: [reply({})], nextCursor: null } },
    );
    const retry = await screen.findByRole('button', { name: 'Opnieuw proberen' });
    expect(retry.closest('[role="alert"]')).toHaveTextContent(
      'Toonbank is niet bereikbaar. Controleer je verbinding en probeer het opnieuw.',
    );
    fail = false;
    await user.click(retry);
    expect(await repliesList()).toHaveTextContent('Wordt verstuurd…');
  });

  it('speaks English too', async () => {
    open(LEAD, {
      language: 'en',
      replies: [reply({ status: 'failed', error: 'Blocked', failure: 'not_sent' })],
    });
    const list = await screen.findByRole('list', { name: 'Replies on their way' });
    expect(list).toHaveTextContent('Not sent');
    expect(list).toHaveTextContent('Reason: Blocked');
    expect(list).toHaveTextContent('This reply did not reach the channel.');
    expect(within(list).getByRole('button', { name: 'Send again' })).toBeInTheDocument();
    expect(screen.getAllByRole('link', { name: 'View on Mastodon' })).toHaveLength(2);
  });
});

describe('Conversation pane', () => {
  it('one primary action: claim what nobody has', async () => {
    open(AGENT, { conversation: makeConversation({ status: 'unassigned', assigneeId: null }) });
    const header = (await screen.findByRole('heading', { level: 2 })).closest('header')!;
    await within(header).findByRole('button', { name: 'Oppakken' });
    expect(
      within(header)
        .getAllByRole('button')
        .filter((button) => button.classList.contains('button-primary'))
        .map((button) => button.textContent),
    ).toEqual(['Oppakken']);
  });

  it('when mine: Antwoorden is the primary action and takes one to the reply box; close is secondary', async () => {
    const { user } = open(AGENT);
    const reply = await screen.findByRole('button', { name: 'Antwoorden' });
    expect(reply).toHaveClass('button-primary');
    expect(screen.getByRole('button', { name: 'Sluiten' })).not.toHaveClass('button-primary');
    await user.click(reply);
    expect(screen.getByLabelText('Je antwoord')).toHaveFocus();
    // Labels and notes come after the thread and the composer.
    const thread = screen.getByRole('list', { name: 'Berichten' });
    const labels = screen.getByRole('list', { name: 'Labels' });
    expect(thread.compareDocumentPosition(labels) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('a refused claim (409) says so in its own words, with who has it now', async () => {
    const fake = createFakeApi({ users: [AGENT] });
    const unassigned = makeConversation({ status: 'unassigned', assigneeId: null });
    withInbox(fake, { conversations: [unassigned] });
    let detail = unassigned;
    fake.override(`GET /api/conversations/${CONVERSATION_ID}`, () => ({
      status: 200,
      body: { ...detail, messages: [inboundMessage('Hallo?')] },
    }));
    fake.override(`POST /api/conversations/${CONVERSATION_ID}/claim`, () => {
      detail = makeConversation({ status: 'assigned', assigneeId: LEAD.id });
      return errorResponse(409, 'conflict', 'Conversation is not unassigned');
    });
    fake.rememberSession(AGENT.email);
    const { user } = renderApp(fake, { route: `/inbox/${CONVERSATION_ID}` });
    await user.click(await screen.findByRole('button', { name: 'Oppakken' }));
    expect(
      await screen.findByText(
        'Dat kon niet meer: het gesprek is intussen veranderd. Nu: Toegewezen, bij Lars Bakker.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Oppakken' })).not.toBeInTheDocument();
  });

  it('shows a skeleton while loading, and a failed load offers to try again', async () => {
    const fake = createFakeApi({ users: [AGENT] });
    withInbox(fake);
    let fail = true;
    fake.override(`GET /api/conversations/${CONVERSATION_ID}`, () =>
      fail
        ? errorResponse(500, 'internal', 'boom')
        : {
            status: 200,
            body: { ...makeConversation(), messages: [inboundMessage('Hallo?')] },
          },
    );
    fake.rememberSession(AGENT.email);
    const { user } = renderApp(fake, { route: `/inbox/${CONVERSATION_ID}` });
    expect(await screen.findByText('Gesprek laden…')).toBeInTheDocument();
    expect(
      await screen.findByText('Er ging iets mis aan onze kant. Probeer het opnieuw.'),
    ).toBeInTheDocument();
    fail = false;
    await user.click(screen.getByRole('button', { name: 'Opnieuw proberen' }));
    expect(await screen.findByText('Hallo?')).toBeInTheDocument();
  });
});
