import { act, screen, waitFor, within } from '@testing-library/react';
import { DEFAULT_POLICY_MATRIX } from '@toonbank/policy';
import type { TemplateDto, UserDto } from '@toonbank/shared';
import { LANGUAGE_STORAGE_KEY } from '../i18n';
import { createFakeApi, deferred } from '../test/fakeApi';
import { AGENT } from '../test/fixtures';
import { CONVERSATION_ID, TEMPLATE, withInbox } from '../test/inboxFakes';
import { renderApp } from '../test/renderApp';

const THANKS: TemplateDto = {
  ...TEMPLATE,
  id: '00000000-0000-4000-8000-0000000070a2',
  name: 'Bedankt',
  body: 'Dank je wel {{customer.name}}! ^{{agent.initials}}',
  inputs: [],
  // The profile is formal on Mastodon now: "je" fails there, not on X.
  toneOk: { mastodon: false, bluesky: true, x: true, facebook: true, instagram: true },
};
const ON_X_ONLY: TemplateDto = {
  ...TEMPLATE,
  id: '00000000-0000-4000-8000-0000000070a3',
  name: 'Alleen voor X',
  providers: ['x'],
  toneOk: { x: true },
};

const openConversation = (account: UserDto, level: 1 | 2, language?: 'en') => {
  if (language) window.localStorage.setItem(LANGUAGE_STORAGE_KEY, language);
  const fake = createFakeApi({ users: [account] });
  const inbox = withInbox(fake, { level });
  fake.override('GET /api/templates', () => ({
    status: 200,
    body: { items: [TEMPLATE, THANKS, ON_X_ONLY], nextCursor: null },
  }));
  fake.rememberSession(account.email);
  return { inbox, ...renderApp(fake, { route: `/inbox/${CONVERSATION_ID}` }) };
};

afterEach(() => window.localStorage.removeItem(LANGUAGE_STORAGE_KEY));

const optionTexts = (list: HTMLElement) =>
  within(list)
    .getAllByRole('option')
    .map((option) => option.textContent);

describe('Template picker', () => {
  it('at the pioneer level: the search is what r focuses, failing templates are not offered, the keyboard chooses', async () => {
    const { user, inbox } = openConversation(AGENT, 1);
    const search = await screen.findByRole('combobox', { name: 'Sjabloon zoeken' });
    await waitFor(() => expect(document.querySelector('[data-composer-focus]')).toBe(search));
    expect(
      await screen.findByText(
        '1 sjabloon past niet bij de huidige tone of voice en wordt niet aangeboden. Een teamleider kan het aanpassen.',
      ),
    ).toBeInTheDocument();

    act(() => search.focus());
    expect(search).toHaveAttribute('aria-expanded', 'true');
    const list = screen.getByRole('listbox', { name: 'Sjablonen' });
    // Only the template for this channel that passes, filled in as it would be sent.
    expect(optionTexts(list)).toEqual([
      'Factuur nagaanHoi Sanne, we kijken factuur [factuur] voor u na. ^BJ',
    ]);
    expect(screen.getByRole('region', { name: 'Zo wordt het verstuurd' })).toHaveTextContent(
      'Hoi Sanne, we kijken factuur [factuur] voor u na. ^BJ',
    );

    await user.type(search, 'geen');
    expect(within(list).queryAllByRole('option')).toHaveLength(0);
    expect(screen.getByText('Geen sjabloon gevonden.')).toBeInTheDocument();
    await user.clear(search);
    await user.type(search, 'FACT');
    expect(search).toHaveAttribute(
      'aria-activedescendant',
      within(list).getAllByRole('option')[0]!.id,
    );
    await user.keyboard('{Enter}');

    expect(search).toHaveAttribute('aria-expanded', 'false');
    expect(screen.getByText('Sjabloon: Factuur nagaan')).toBeInTheDocument();
    // Someone who must use a template cannot go back to free text.
    expect(screen.queryByRole('button', { name: 'Zonder sjabloon' })).not.toBeInTheDocument();
    await user.type(screen.getByLabelText('Vul in: factuur'), 'F-1');
    expect(screen.getByLabelText('Je antwoord (uit het sjabloon)')).toHaveValue(
      'Hoi Sanne, we kijken factuur F-1 voor u na. ^BJ',
    );
    const send = screen.getByRole('button', { name: 'Versturen' });
    await waitFor(() => expect(send).toBeEnabled());
    await user.click(send);
    await waitFor(() => expect(inbox.replies).toHaveLength(1));
    expect(inbox.replies[0]!.body).toEqual({
      templateId: TEMPLATE.id,
      variables: { factuur: 'F-1' },
    });
  });

  it('for people who write freely: failing templates marked, arrows move the preview, free text again', async () => {
    const { user } = openConversation(AGENT, 2);
    const box = await screen.findByLabelText('Je antwoord');
    expect(document.querySelector('[data-composer-focus]')).toBe(box);
    const search = screen.getByRole('combobox', { name: 'Sjabloon zoeken' });
    await user.click(search);
    const list = screen.getByRole('listbox', { name: 'Sjablonen' });
    await waitFor(() => expect(within(list).getAllByRole('option')).toHaveLength(2));
    expect(optionTexts(list)).toEqual([
      'Factuur nagaanHoi Sanne, we kijken factuur [factuur] voor u na. ^BJ',
      'BedanktPast niet bij de huidige tone of voiceDank je wel Sanne! ^BJ',
    ]);
    await user.keyboard('{ArrowDown}');
    const thanks = screen.getByRole('option', { name: /Bedankt/ });
    expect(thanks).toHaveAttribute('aria-selected', 'true');
    expect(search).toHaveAttribute('aria-activedescendant', thanks.id);
    expect(screen.getByRole('region', { name: 'Zo wordt het verstuurd' })).toHaveTextContent(
      'Dank je wel Sanne! ^BJ',
    );
    await user.keyboard('{Escape}');
    expect(search).toHaveAttribute('aria-expanded', 'false');
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument();

    await user.click(search);
    await user.click(screen.getByRole('option', { name: /Bedankt/ }));
    expect(screen.getByLabelText('Je antwoord (uit het sjabloon)')).toHaveValue(
      'Dank je wel Sanne! ^BJ',
    );
    await user.click(screen.getByRole('button', { name: 'Zonder sjabloon' }));
    expect(screen.getByLabelText('Je antwoord')).toHaveValue('');
  });

  it('offers nothing to type in until the policy says whether a template is required', async () => {
    const fake = createFakeApi({ users: [AGENT] });
    withInbox(fake, { level: 1 });
    const policy = deferred();
    fake.override('GET /api/org/policy', async () => {
      await policy.promise;
      return {
        status: 200,
        body: {
          level: 1,
          rules: DEFAULT_POLICY_MATRIX['1'],
          matrix: DEFAULT_POLICY_MATRIX,
          trustLadder: { approvalsToLift: 20 },
        },
      };
    });
    fake.rememberSession(AGENT.email);
    renderApp(fake, { route: `/inbox/${CONVERSATION_ID}` });
    await screen.findByRole('region', { name: 'Antwoord' });
    expect(document.querySelector('[data-composer-focus]')).toBeNull();
    expect(screen.queryByLabelText('Je antwoord')).not.toBeInTheDocument();
    policy.resolve();
    const search = await screen.findByRole('combobox', { name: 'Sjabloon zoeken' });
    expect(document.querySelector('[data-composer-focus]')).toBe(search);
  });

  it('speaks English too', async () => {
    const { user } = openConversation(AGENT, 1, 'en');
    const search = await screen.findByRole('combobox', { name: 'Search templates' });
    expect(
      await screen.findByText(
        '1 template does not match the current tone of voice and is not offered. A team lead can fix it.',
      ),
    ).toBeInTheDocument();
    await user.click(search);
    expect(screen.getByRole('listbox', { name: 'Templates' })).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'As it will be sent' })).toBeInTheDocument();
    await user.keyboard('{Enter}');
    expect(screen.getByText('Template: Factuur nagaan')).toBeInTheDocument();
  });
});
