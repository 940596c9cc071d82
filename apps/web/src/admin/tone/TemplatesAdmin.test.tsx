import { screen, waitFor, within } from '@testing-library/react';
import type { ToneProfileDto } from '@toonbank/shared';
import { conflictResponse, createFakeApi, errorResponse } from '../../test/fakeApi';
import { ADMIN } from '../../test/fixtures';
import { fakeToneCheck, TEMPLATE, withInbox } from '../../test/inboxFakes';
import { renderApp } from '../../test/renderApp';

const PROFILE: ToneProfileDto = {
  language: 'nl',
  addressForm: { default: 'formal', perChannel: {}, mirrorCustomer: false },
  forbiddenPhrases: [{ phrase: 'helaas', suggestion: 'jammer genoeg' }],
  signoff: { required: true, pattern: '\\^[A-Z]{2,3}$' },
  emojiAllowed: false,
};

const openAdmin = (section: 'tone' | 'templates') => {
  const fake = createFakeApi({ users: [ADMIN] });
  withInbox(fake);
  let profile = PROFILE;
  fake.override('GET /api/tone/profile', () => ({ status: 200, body: profile }));
  fake.override('PUT /api/tone/profile', (request) => {
    profile = request.body as ToneProfileDto;
    return { status: 200, body: profile };
  });
  fake.rememberSession(ADMIN.email);
  return { fake, ...renderApp(fake, { route: `/admin?section=${section}` }) };
};

describe('Templates admin', () => {
  const openTemplates = () => openAdmin('templates');
  it('checks the template as the customer would read it while it is written', async () => {
    const { user, container } = openTemplates();
    await user.click(await screen.findByRole('button', { name: 'Nieuw sjabloon' }));
    const form = screen.getByRole('form', { name: 'Nieuw sjabloon' });
    await user.type(
      within(form).getByLabelText('Tekst'),
      'Hoi {{{{customer.name}}, kun je even wachten? ^AB',
    );

    expect(within(form).getByLabelText(/Zoals de klant het leest/)).toHaveValue(
      'Hoi Sanne de Vries, kun je even wachten? ^AB',
    );
    await waitFor(() =>
      expect([...container.querySelectorAll('form mark')].map((m) => m.textContent)).toEqual([
        'je',
      ]),
    );
  });

  it('saves a new template with its channels, and shows the server’s tone refusal', async () => {
    const { fake, user } = openTemplates();
    const sent: unknown[] = [];
    fake.override('POST /api/templates', (request) => {
      sent.push(request.body);
      if (sent.length === 1) {
        const text = 'Kun je wachten? ^AB';
        return {
          ...errorResponse(422, 'tone.violations', 'The template breaks the tone'),
          body: {
            statusCode: 422,
            code: 'tone.violations',
            message: 'The template breaks the tone',
            details: { findings: fakeToneCheck(text).findings, text },
          },
        };
      }
      return { status: 201, body: { ...TEMPLATE, ...(request.body as object) } };
    });
    await user.click(await screen.findByRole('button', { name: 'Nieuw sjabloon' }));
    const form = screen.getByRole('form', { name: 'Nieuw sjabloon' });
    await user.type(within(form).getByLabelText('Naam'), 'Wachten');
    await user.click(within(form).getByLabelText('X'));
    await user.type(within(form).getByLabelText('Tekst'), 'Kun je wachten? ^AB');
    await user.click(within(form).getByRole('button', { name: 'Sjabloon opslaan' }));

    expect(await within(form).findByText('Informeel aangesproken')).toBeInTheDocument();
    expect(sent[0]).toEqual({
      name: 'Wachten',
      body: 'Kun je wachten? ^AB',
      providers: ['x'],
      language: null,
    });
    await user.clear(within(form).getByLabelText('Tekst'));
    await user.type(within(form).getByLabelText('Tekst'), 'Kunt u wachten? ^AB');
    await user.click(within(form).getByRole('button', { name: 'Sjabloon opslaan' }));
    await waitFor(() => expect(screen.queryByRole('form', { name: 'Nieuw sjabloon' })).toBeNull());
    expect(sent).toHaveLength(2);
  });
});

describe('Templates admin: a refused save (409)', () => {
  const save = async (reason?: 'name_taken') => {
    const { fake, user } = openAdmin('templates');
    fake.override('POST /api/templates', () =>
      conflictResponse('A template with this name already exists.', reason),
    );
    await user.click(await screen.findByRole('button', { name: 'Nieuw sjabloon' }));
    const form = screen.getByRole('form', { name: 'Nieuw sjabloon' });
    await user.type(within(form).getByLabelText('Naam'), 'Wachten');
    await user.type(within(form).getByLabelText('Tekst'), 'Kunt u wachten? ^AB');
    await user.click(within(form).getByRole('button', { name: 'Sjabloon opslaan' }));
    return within(form).findByRole('alert');
  };

  it('says the name is taken when the server says so', async () => {
    expect(await save('name_taken')).toHaveTextContent(
      'Niet opgeslagen: er is al een sjabloon met deze naam. Kies een andere naam.',
    );
  });

  it('any other conflict gets the generic words, not "name taken"', async () => {
    const alert = await save();
    expect(alert).toHaveTextContent(
      'Niet gelukt: dit is intussen veranderd, misschien door een collega. Er is niets gewijzigd; je ziet nu de actuele stand.',
    );
    expect(alert).not.toHaveTextContent('naam');
  });
});

describe('Tone profile admin', () => {
  const openTone = () => openAdmin('tone');
  it('edits the forbidden phrases and saves the whole profile', async () => {
    const { fake, user } = openTone();
    const save = await screen.findByRole('button', { name: 'Tone of voice opslaan' });
    expect(save).toBeDisabled();
    await user.click(screen.getByRole('button', { name: 'Woord of zin toevoegen' }));
    const phrases = screen.getAllByLabelText('Woord of zin');
    await user.type(phrases[1]!, 'excuses voor het ongemak');
    await user.type(screen.getAllByLabelText('Suggestie in plaats daarvan')[1]!, 'vervelend');
    await user.selectOptions(screen.getByLabelText('X'), 'informal');
    await user.click(save);

    await waitFor(() => expect(fake.sent('PUT', '/api/tone/profile')).toHaveLength(1));
    expect(fake.sent('PUT', '/api/tone/profile')[0]!.body).toEqual({
      ...PROFILE,
      addressForm: { ...PROFILE.addressForm, perChannel: { x: 'informal' } },
      forbiddenPhrases: [
        ...PROFILE.forbiddenPhrases,
        { phrase: 'excuses voor het ongemak', suggestion: 'vervelend' },
      ],
    });
    expect(await screen.findByText('Opgeslagen.')).toBeInTheDocument();
  });
});
