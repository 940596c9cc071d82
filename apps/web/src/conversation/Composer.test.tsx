import { act, screen, waitFor, within } from '@testing-library/react';
import type { UserDto } from '@toonbank/shared';
import { createFakeApi } from '../test/fakeApi';
import { createFakeSocket } from '../test/fakeSocket';
import { AGENT, LEAD, makeUser } from '../test/fixtures';
import { CONVERSATION_ID, makeConversation, TEMPLATE, withInbox } from '../test/inboxFakes';
import { renderApp } from '../test/renderApp';
import { focusComposer } from './focusComposer';

const openConversation = (account: UserDto, options: Parameters<typeof withInbox>[1] = {}) => {
  const fake = createFakeApi({ users: [account] });
  const inbox = withInbox(fake, options);
  fake.rememberSession(account.email);
  const socket = createFakeSocket();
  const view = renderApp(fake, { route: `/inbox/${CONVERSATION_ID}`, socket });
  return { fake, inbox, ...view };
};

const replyBox = () => screen.findByLabelText('Je antwoord');
const marks = (container: HTMLElement) =>
  [...container.querySelectorAll('mark')].map((m) => [m.className, m.textContent]);

describe('Composer', () => {
  it('underlines tone errors and warnings as one types, explains them, and blocks sending', async () => {
    const { user, container } = openConversation(AGENT);

    await user.type(await replyBox(), 'Kun je dat nakijken!! ^BJ');

    await waitFor(() =>
      expect(marks(container)).toEqual([
        ['tone-mark tone-mark-error', 'je'],
        ['tone-mark tone-mark-warning', '!!'],
      ]),
    );
    const findings = screen.getByRole('list', { name: 'Bevindingen tone of voice' });
    expect(
      within(findings)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['Fout Informeel aangesprokenSuggestie: u', 'Waarschuwing Te veel uitroeptekens']);
    expect(screen.getByRole('button', { name: 'Versturen' })).toBeDisabled();
    expect(screen.getByLabelText('Je antwoord')).toHaveAttribute('aria-invalid', 'true');
    // An agent cannot send over the errors.
    expect(screen.queryByRole('button', { name: 'Toch versturen…' })).not.toBeInTheDocument();
  });

  it('selects the offending words when a finding is clicked, and sends once they are fixed', async () => {
    const { user, inbox, container } = openConversation(AGENT);
    const box = await replyBox();
    await user.type(box, 'Kun je dat nakijken? ^BJ');
    await user.click(await screen.findByRole('button', { name: /Informeel aangesproken/ }));
    expect(box).toHaveFocus();
    expect([
      (box as HTMLTextAreaElement).selectionStart,
      (box as HTMLTextAreaElement).selectionEnd,
    ]).toEqual([4, 6]);

    await user.clear(box);
    await user.type(box, 'Kunt u dat nakijken? ^BJ');
    await waitFor(() => expect(screen.getByText('Past bij de tone of voice.')).toBeInTheDocument());
    expect(marks(container)).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Versturen' }));

    await waitFor(() => expect(inbox.replies).toHaveLength(1));
    expect(inbox.replies[0]!.body).toEqual({ text: 'Kunt u dat nakijken? ^BJ' });
    await waitFor(() => expect(box).toHaveValue(''));
  });

  it('counts the length the way the channel counts, and shows when it is over', async () => {
    const { user } = openConversation(AGENT, {
      conversations: [makeConversation({ provider: 'bluesky' })],
    });
    const box = await replyBox();
    await user.type(box, 'Dag 👨‍👩‍👧 ^BJ');
    // Bluesky counts graphemes: the family emoji (five code points) is one.
    expect(screen.getByText('9 / 300')).not.toHaveClass('counter-over');
    await user.paste('a'.repeat(292));
    expect(screen.getByText('301 / 300')).toHaveClass('counter-over');
  });

  it('lets a team lead send over tone errors with a reason, recorded on the reply', async () => {
    const lead: UserDto = { ...LEAD };
    const { user, inbox } = openConversation(lead, {
      conversations: [makeConversation({ assigneeId: LEAD.id })],
    });
    await user.type(await replyBox(), 'Kun je dat nakijken? ^LB');
    await user.click(await screen.findByRole('button', { name: 'Toch versturen…' }));

    const dialog = screen.getByRole('dialog', { name: 'Versturen ondanks fouten in de toon' });
    const confirm = within(dialog).getByRole('button', { name: 'Toch versturen' });
    expect(confirm).toBeDisabled();
    expect(within(dialog).getByLabelText('Reden')).toHaveFocus();
    await user.type(within(dialog).getByLabelText('Reden'), 'Klant sprak ons zelf met je aan');
    await user.click(confirm);

    await waitFor(() => expect(inbox.replies).toHaveLength(1));
    expect(inbox.replies[0]!.body).toEqual({
      text: 'Kun je dat nakijken? ^LB',
      overrideReason: 'Klant sprak ons zelf met je aan',
    });
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('at the pioneer level offers templates only, fills them and sends the template with its slots', async () => {
    const { user, inbox } = openConversation(AGENT, { level: 1 });

    expect(
      await screen.findByText(
        'Op het huidige volwassenheidsniveau antwoord je alleen met een goedgekeurd sjabloon.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByLabelText('Je antwoord')).not.toBeInTheDocument();
    await user.click(screen.getByRole('combobox', { name: 'Sjabloon zoeken' }));
    await user.click(screen.getByRole('option', { name: new RegExp(TEMPLATE.name) }));
    const slot = screen.getByLabelText('Vul in: factuur');
    expect(slot).toHaveAttribute('maxLength', '40');
    await user.type(slot, 'F-2026-118');

    expect(screen.getByLabelText('Je antwoord (uit het sjabloon)')).toHaveValue(
      'Hoi Sanne, we kijken factuur F-2026-118 voor u na. ^BJ',
    );
    const send = screen.getByRole('button', { name: 'Versturen' });
    await waitFor(() => expect(send).toBeEnabled());
    await user.click(send);
    await waitFor(() => expect(inbox.replies).toHaveLength(1));
    expect(inbox.replies[0]!.body).toEqual({
      templateId: TEMPLATE.id,
      variables: { factuur: 'F-2026-118' },
    });
  });

  it('explains the approval and the trust ladder when replies need approval', async () => {
    const comms = makeUser({
      id: '00000000-0000-4000-8000-0000000000e1',
      email: 'comms@demo.test',
      name: 'Carla Mol',
      initials: 'CM',
      role: 'communications',
      approvalsEarned: 3,
    });
    openConversation(comms, { conversations: [makeConversation({ assigneeId: comms.id })] });

    expect(
      await screen.findByText(
        'Je antwoord gaat eerst ter goedkeuring naar een teamleider. 3 van 20 op rij goedgekeurd: daarna verstuur je zonder goedkeuring.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Ter goedkeuring versturen' })).toBeDisabled();
  });

  it('warns when a colleague is writing, and tells colleagues while this user writes', async () => {
    const { user, socket } = openConversation(AGENT);
    const box = await replyBox();

    socket.serverSends('composer.active', {
      conversationId: CONVERSATION_ID,
      userId: LEAD.id,
      name: 'Lars Bakker',
    });
    expect(await screen.findByText('Lars Bakker beantwoordt dit gesprek ook.')).toBeInTheDocument();
    await user.type(box, 'K');
    await waitFor(() =>
      expect(socket.sent).toContainEqual({
        event: 'composer.start',
        payload: { conversationId: CONVERSATION_ID },
      }),
    );

    socket.serverSends('composer.inactive', {
      conversationId: CONVERSATION_ID,
      userId: LEAD.id,
      name: 'Lars Bakker',
    });
    await waitFor(() =>
      expect(
        screen.queryByText('Lars Bakker beantwoordt dit gesprek ook.'),
      ).not.toBeInTheDocument(),
    );
    await user.clear(box);
    await waitFor(() =>
      expect(socket.sent.at(-1)).toEqual({
        event: 'composer.stop',
        payload: { conversationId: CONVERSATION_ID },
      }),
    );
  });
});

/** A matchMedia that answers `phone` for every query (jsdom has none: the desktop layout). */
const asPhone = (phone: boolean) =>
  ((media: string) => ({
    matches: phone,
    media,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
  })) as unknown as typeof window.matchMedia;

describe('Composer on a phone: one line until it is used', () => {
  const original = window.matchMedia;
  afterEach(() => {
    window.matchMedia = original;
  });

  const region = () => screen.getByRole('region', { name: 'Antwoord' });
  const privately = () =>
    screen.queryByRole('checkbox', { name: 'Privé antwoorden (direct bericht)' });

  it('shows only the reply box (one row) and the send button until focused; opens whole on focus and while it holds text', async () => {
    window.matchMedia = asPhone(true);
    const { user } = openConversation(AGENT);
    const box = await replyBox();
    expect(region()).toHaveClass('composer-compact');
    expect(box).toHaveAttribute('rows', '1');
    expect(box).toHaveAttribute('placeholder', 'Je antwoord');
    expect(privately()).not.toBeInTheDocument();
    expect(screen.queryByText('0 / 500')).not.toBeInTheDocument();
    expect(screen.queryByRole('combobox', { name: 'Sjabloon zoeken' })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Versturen' })).toBeDisabled();

    await user.click(box);
    expect(box).toHaveFocus();
    expect(region()).not.toHaveClass('composer-compact');
    expect(box).toHaveAttribute('rows', '5');
    expect(privately()).toBeInTheDocument();
    expect(screen.getByText('0 / 500')).toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: 'Sjabloon zoeken' })).toBeInTheDocument();

    // Within the composer the focus moves on: it stays open.
    await user.click(privately()!);
    expect(region()).not.toHaveClass('composer-compact');
    // Out of it, empty: one line again.
    await user.click(screen.getByRole('heading', { level: 2 }));
    expect(region()).toHaveClass('composer-compact');

    // Out of it with text in it: it stays open, the text and its checks in view.
    await user.type(box, 'Kunt u dat nakijken? ^BJ');
    await user.click(screen.getByRole('heading', { level: 2 }));
    expect(region()).not.toHaveClass('composer-compact');
    expect(box).toHaveValue('Kunt u dat nakijken? ^BJ');
    expect(screen.getByText('24 / 500')).toBeInTheDocument();
  });

  it('at the pioneer level is the template search and the send button; `r` (focusComposer) opens it', async () => {
    window.matchMedia = asPhone(true);
    openConversation(AGENT, { level: 1 });
    const search = await screen.findByRole('combobox', { name: 'Sjabloon zoeken' });
    expect(region()).toHaveClass('composer-compact');
    expect(search).toHaveAttribute('placeholder', 'Sjabloon zoeken');
    expect(
      screen.queryByText(
        'Op het huidige volwassenheidsniveau antwoord je alleen met een goedgekeurd sjabloon.',
      ),
    ).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Versturen' })).toBeInTheDocument();

    act(() => focusComposer());
    expect(search).toHaveFocus();
    expect(region()).not.toHaveClass('composer-compact');
    expect(
      screen.getByText(
        'Op het huidige volwassenheidsniveau antwoord je alleen met een goedgekeurd sjabloon.',
      ),
    ).toBeInTheDocument();
    expect(privately()).toBeInTheDocument();
  });

  it('on a desktop is always whole', async () => {
    window.matchMedia = asPhone(false);
    openConversation(AGENT);
    const box = await replyBox();
    expect(region()).not.toHaveClass('composer-compact');
    expect(box).toHaveAttribute('rows', '5');
    expect(box).not.toHaveAttribute('placeholder');
    expect(privately()).toBeInTheDocument();
    expect(screen.getByText('0 / 500')).toBeInTheDocument();
  });
});
