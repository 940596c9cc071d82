import { screen, waitFor, within } from '@testing-library/react';
import type { ConversationDto, MessageDto } from '@toonbank/shared';
import { createFakeApi, deferred, errorResponse } from '../test/fakeApi';
import { ADMIN, AGENT, LEAD } from '../test/fixtures';
import { CONVERSATION_ID, makeConversation, withInbox } from '../test/inboxFakes';
import { renderApp } from '../test/renderApp';

const openConversation = (conversation: ConversationDto = makeConversation()) => {
  const fake = createFakeApi({ users: [AGENT] });
  withInbox(fake, { conversations: [conversation] });
  fake.rememberSession(AGENT.email);
  return { fake, ...renderApp(fake, { route: `/inbox/${CONVERSATION_ID}` }) };
};

const labelChips = () =>
  within(screen.getByRole('list', { name: 'Labels' }))
    .queryAllByRole('listitem')
    .map((chip) => chip.firstChild?.textContent);

describe('Internal notes', () => {
  it('adds a note to the thread and empties the form', async () => {
    const { fake, user } = openConversation();
    fake.override(`POST /api/conversations/${CONVERSATION_ID}/notes`, (request) => ({
      status: 201,
      body: {
        id: 'note-1',
        direction: 'note',
        externalId: null,
        authorHandle: null,
        authorUserId: AGENT.id,
        text: (request.body as { text: string }).text,
        attachments: [],
        createdAt: new Date().toISOString(),
        replyId: null,
        externalUrl: null,
      } satisfies MessageDto,
    }));
    const box = await screen.findByLabelText('Interne notitie');
    expect(screen.getByRole('button', { name: 'Notitie toevoegen' })).toBeDisabled();
    await user.type(box, '  @BJ kijk jij hier even naar?  ');
    await user.click(screen.getByRole('button', { name: 'Notitie toevoegen' }));

    await waitFor(() => expect(box).toHaveValue(''));
    expect(fake.sent('POST', `/api/conversations/${CONVERSATION_ID}/notes`)[0]!.body).toEqual({
      text: '@BJ kijk jij hier even naar?',
    });
    expect(screen.getByText('@BJ kijk jij hier even naar?')).toBeInTheDocument();
  });

  it('keeps the text and shows the server’s reason when the note is refused', async () => {
    const { fake, user } = openConversation();
    fake.override(`POST /api/conversations/${CONVERSATION_ID}/notes`, () =>
      errorResponse(400, 'validation.failed', 'The note is too long.'),
    );
    const box = await screen.findByLabelText('Interne notitie');
    await user.type(box, 'Te lang');
    await user.click(screen.getByRole('button', { name: 'Notitie toevoegen' }));

    expect(await screen.findByText('The note is too long.')).toBeInTheDocument();
    expect(box).toHaveValue('Te lang');
  });
});

describe('@mentions in a note', () => {
  it('suggests colleagues as one types @, never oneself, and inserts the chosen one’s initials', async () => {
    const { user } = openConversation();
    const box = await screen.findByLabelText('Interne notitie');
    await user.type(box, 'Kun jij kijken @');
    const list = await screen.findByRole('listbox', { name: 'Collega’s om te noemen' });
    expect(
      within(list)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['Anna de Vries @AV', 'Lars Bakker @LB']);
    expect(box).toHaveAttribute(
      'aria-activedescendant',
      within(list).getAllByRole('option')[0]!.id,
    );

    await user.type(box, 'la');
    expect(within(list).getAllByRole('option')).toHaveLength(1);
    await user.keyboard('{Enter}');
    expect(box).toHaveValue('Kun jij kijken @LB ');
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument();

    // Arrow keys move the choice; a click chooses too.
    await user.type(box, 'en @');
    await user.keyboard('{ArrowDown}');
    expect(screen.getByRole('option', { name: 'Lars Bakker @LB' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    await user.click(screen.getByRole('option', { name: 'Anna de Vries @AV' }));
    expect(box).toHaveValue('Kun jij kijken @LB en @AV ');
  });
});

describe('@mentions where the caret is (the box, not a stale render, decides)', () => {
  it('follows the caret: moved away from the @, Enter is a new line, not an insertion elsewhere', async () => {
    const { user } = openConversation();
    const box = await screen.findByLabelText('Interne notitie');
    await user.type(box, 'Vraag @la');
    await screen.findByRole('listbox', { name: 'Collega’s om te noemen' });
    await user.keyboard('{Home}');
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument();
    await user.keyboard('{Enter}x');
    expect(box).toHaveValue('\nxVraag @la');
  });

  it('opens the suggestions when the caret comes back to an @ and completes it there', async () => {
    const { user } = openConversation();
    const box = await screen.findByLabelText('Interne notitie');
    await user.type(box, 'Vraag @la aan');
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument();
    await user.keyboard('{ArrowLeft}{ArrowLeft}{ArrowLeft}{ArrowLeft}');
    await screen.findByRole('option', { name: 'Lars Bakker @LB' });
    await user.keyboard('{Enter}x');
    expect(box).toHaveValue('Vraag @LB xaan');
  });

  it('keeps every key where it was typed while the colleagues arrive mid-word', async () => {
    const fake = createFakeApi({ users: [AGENT] });
    withInbox(fake, { conversations: [makeConversation()] });
    const colleagues = deferred();
    fake.override('GET /api/users', async () => {
      await colleagues.promise;
      return { status: 200, body: { items: [ADMIN, LEAD, AGENT], nextCursor: null } };
    });
    fake.rememberSession(AGENT.email);
    const { user } = renderApp(fake, { route: `/inbox/${CONVERSATION_ID}` });
    const box = await screen.findByLabelText('Interne notitie');
    await user.type(box, 'Vraag @l');
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument();
    colleagues.resolve();
    await screen.findByRole('option', { name: 'Lars Bakker @LB' });
    await user.keyboard('a{Enter}xy');
    expect(box).toHaveValue('Vraag @LB xy');
  });

  it('puts the caret after the mention even when choosing leaves the text as it was', async () => {
    const { user } = openConversation();
    const box = await screen.findByLabelText('Interne notitie');
    // "@LB " with the caret after "@LB": choosing Lars gives the same text.
    await user.type(box, '@LB {ArrowLeft}B{Backspace}');
    await screen.findByRole('option', { name: 'Lars Bakker @LB' });
    await user.keyboard('{Enter}');
    await user.keyboard('xy');
    expect(box).toHaveValue('@LB xy');
  });
});

describe('Labels', () => {
  it('adds a lower-case label and removes one, sending the whole set each time', async () => {
    const { fake, user } = openConversation(makeConversation({ labels: ['factuur'] }));
    const sentLabels: string[][] = [];
    fake.override(`PUT /api/conversations/${CONVERSATION_ID}/labels`, (request) => {
      const { labels } = request.body as { labels: string[] };
      sentLabels.push(labels);
      return { status: 200, body: makeConversation({ labels }) };
    });
    const input = await screen.findByPlaceholderText('Nieuw label');
    expect(labelChips()).toEqual(['factuur']);

    await user.type(input, ' Storing ');
    await user.click(screen.getByRole('button', { name: 'Toevoegen' }));
    await waitFor(() => expect(labelChips()).toEqual(['factuur', 'storing']));
    expect(input).toHaveValue('');

    await user.click(screen.getByRole('button', { name: 'Label factuur verwijderen' }));
    await waitFor(() => expect(labelChips()).toEqual(['storing']));
    expect(sentLabels).toEqual([['factuur', 'storing'], ['storing']]);
  });

  it('refuses what the API would refuse: a label with a space, or one already there', async () => {
    const { fake, user } = openConversation(makeConversation({ labels: ['factuur'] }));
    const input = await screen.findByPlaceholderText('Nieuw label');
    const add = screen.getByRole('button', { name: 'Toevoegen' });
    for (const draft of ['met spatie', 'factuur', '-begin', 'punt.nl']) {
      await user.clear(input);
      await user.type(input, draft);
      expect([draft, (add as HTMLButtonElement).disabled]).toEqual([draft, true]);
    }
    await user.clear(input);
    await user.type(input, 'x'.repeat(41));
    expect(input).toHaveValue('x'.repeat(40)); // the API's limit
    expect(add).toBeEnabled();
    expect(fake.sent('PUT', `/api/conversations/${CONVERSATION_ID}/labels`)).toHaveLength(0);
  });
});

describe('user.updated', () => {
  it('closes the composer at once when the user loses the right to respond, and reads the inbox again', async () => {
    const { fake, socket } = openConversation();
    expect(await screen.findByLabelText('Je antwoord')).toBeInTheDocument();
    const listReads = () => fake.sent('GET', '/api/conversations').length;
    const before = listReads();

    socket.serverSends('user.updated', { ...AGENT, eligible: false });

    expect(
      await screen.findByText('Je mag op het huidige volwassenheidsniveau niet antwoorden.'),
    ).toBeInTheDocument();
    expect(screen.queryByLabelText('Je antwoord')).not.toBeInTheDocument();
    await waitFor(() => expect(listReads()).toBeGreaterThan(before));
  });

  it('keeps what is typed right after choosing where it was typed (the caret is not moved back later)', async () => {
    const { user } = openConversation();
    const box = await screen.findByLabelText('Interne notitie');
    await user.type(box, 'Vraag @la');
    await screen.findByRole('listbox', { name: 'Collega’s om te noemen' });
    await user.keyboard('{Enter}');
    await user.keyboard('x');
    // Longer than a frame: anything the form left for later has run by now.
    await new Promise((resolve) => setTimeout(resolve, 50));
    await user.keyboard('y');
    expect(box).toHaveValue('Vraag @LB xy');
  });
});
