import { screen, waitFor, within } from '@testing-library/react';
import { DEFAULT_POLICY_MATRIX } from '@toonbank/policy';
import { act } from 'react';
import { createFakeApi, deferred } from '../test/fakeApi';
import { ADMIN, AGENT, DEMO_ORG, makeUser } from '../test/fixtures';
import { renderApp } from '../test/renderApp';

const comms = makeUser({
  id: '00000000-0000-4000-8000-0000000000e1',
  email: 'comms@demo.test',
  name: 'Carla Mol',
  role: 'communications',
});

const openAdmin = () => {
  const fake = createFakeApi({ users: [ADMIN] });
  const org = { ...DEMO_ORG };
  fake.override('GET /api/org', () => ({ status: 200, body: { ...org } }));
  fake.override('GET /api/org/policy', () => ({
    status: 200,
    body: {
      level: org.maturityLevel,
      rules: DEFAULT_POLICY_MATRIX[`${org.maturityLevel}`],
      matrix: DEFAULT_POLICY_MATRIX,
      trustLadder: { approvalsToLift: 20 },
    },
  }));
  fake.override('GET /api/org/maturity/preview', () => ({
    status: 200,
    body: { gaining: [], losing: [], conversationsReturned: 0, repliesWithdrawn: 0 },
  }));
  fake.rememberSession(ADMIN.email);
  return { fake, org, ...renderApp(fake, { route: '/admin' }) };
};

describe('Maturity level control', () => {
  it('shows three steps with the current one marked', async () => {
    openAdmin();
    const steps = await screen.findByRole('list', { name: 'Volwassenheidsniveau' });
    const buttons = within(steps).getAllByRole('button');
    expect(buttons.map((b) => b.querySelector('.step-name')?.textContent)).toEqual([
      'Pionier',
      'Groeiend',
      'Volwassen',
    ]);
    expect(buttons[0]).toHaveAttribute('aria-current', 'step');
    expect(buttons[0]).toBeDisabled();
  });

  it('previews who gains and loses the right to respond before asking for the reason', async () => {
    const { fake, user } = openAdmin();
    const preview = deferred();
    fake.override('GET /api/org/maturity/preview', async (request) => {
      await preview.promise;
      expect(request.query).toEqual({ level: '2' });
      return {
        status: 200,
        body: { gaining: [comms], losing: [], conversationsReturned: 0, repliesWithdrawn: 0 },
      };
    });
    await user.click(await screen.findByRole('button', { name: /Groeiend/ }));

    const dialog = screen.getByRole('dialog', { name: 'Van Pionier naar Groeiend' });
    expect(within(dialog).getByText('Uitrekenen wat er verandert…')).toBeInTheDocument();
    const confirm = within(dialog).getByRole('button', { name: 'Naar niveau 2 · Groeiend' });
    expect(confirm).toBeDisabled();
    preview.resolve();

    expect(
      await within(dialog).findByRole('list', { name: 'Mag voortaan antwoorden' }),
    ).toHaveTextContent('Carla Mol (Communicatieadviseur)');
    expect(within(dialog).getByText('Niemand')).toBeInTheDocument();
    // Raising takes nothing back: no counts of zero.
    expect(within(dialog).queryByText(/gaan terug naar de wachtrij/)).not.toBeInTheDocument();
    // No reason, no change.
    expect(confirm).toBeDisabled();
    expect(fake.sent('PUT', '/api/org/maturity')).toHaveLength(0);
  });

  it('lowering shows the work that goes back, and sends the level with the reason', async () => {
    const { fake, org, user } = openAdmin();
    org.maturityLevel = 3;
    org.maturityName = 'mature';
    fake.override('GET /api/org/maturity/preview', () => ({
      status: 200,
      body: {
        gaining: [],
        losing: [comms, AGENT],
        conversationsReturned: 4,
        repliesWithdrawn: 1,
      },
    }));
    fake.override('PUT /api/org/maturity', (request) => {
      Object.assign(org, { maturityLevel: 1, maturityName: 'pioneer' });
      return { status: 200, body: { ...org, ...(request.body as object) } };
    });
    await user.click(await screen.findByRole('button', { name: /Pionier/ }));
    const dialog = screen.getByRole('dialog', { name: 'Van Volwassen naar Pionier' });

    expect(
      await within(dialog).findByRole('list', { name: 'Mag niet meer antwoorden' }),
    ).toHaveTextContent('Carla Mol (Communicatieadviseur)Bram Jansen (Klantcontactmedewerker)');
    expect(
      within(dialog).getByText('4 gesprekken gaan terug naar de wachtrij.'),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText('1 antwoord dat op goedkeuring wacht, wordt ingetrokken.'),
    ).toBeInTheDocument();
    await user.type(
      within(dialog).getByLabelText('Reden (komt in het auditlog)'),
      'Storing voorbij',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Naar niveau 1 · Pionier' }));

    await waitFor(() => expect(fake.sent('PUT', '/api/org/maturity')).toHaveLength(1));
    expect(fake.sent('PUT', '/api/org/maturity')[0]!.body).toEqual({
      level: 1,
      reason: 'Storing voorbij',
      // The level the admin decided from: the server refuses when it moved since.
      expectedLevel: 3,
    });
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(await screen.findByText('Niveau 1 · Pionier')).toBeInTheDocument();
  });

  it('Escape closes the dialog without changing anything', async () => {
    const { fake, user } = openAdmin();
    fake.override('GET /api/org/maturity/preview', () => ({
      status: 200,
      body: { gaining: [], losing: [], conversationsReturned: 0, repliesWithdrawn: 0 },
    }));
    await user.click(await screen.findByRole('button', { name: /Volwassen/ }));
    expect(screen.getByRole('dialog')).toBeInTheDocument();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(fake.sent('PUT', '/api/org/maturity')).toHaveLength(0);
  });

  it('says per role what changes: who may respond, free text or templates, approval', async () => {
    const { user } = openAdmin();
    await user.click(await screen.findByRole('button', { name: /Groeiend/ }));
    const dialog = screen.getByRole('dialog', { name: 'Van Pionier naar Groeiend' });
    const roles = await within(dialog).findByRole('list', {
      name: 'Wat er per rol verandert (niveau 1 → 2)',
    });
    expect(
      within(roles)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual([
      'Klantcontactmedewerker vrije tekst, in eigen woorden',
      'Communicatieadviseur mag voortaan antwoorden · vrije tekst, in eigen woorden · elk antwoord met goedkeuring',
    ]);
    expect(
      within(dialog).getByText(
        'Blijft gelijk: Beheerder, Teamleider, Medewerker, getraind, Medewerker, niet getraind.',
      ),
    ).toBeInTheDocument();
  });

  it('in English too, lowering from 3 to 1', async () => {
    const { org, user, i18n } = openAdmin();
    org.maturityLevel = 3;
    org.maturityName = 'mature';
    await act(() => i18n.changeLanguage('en'));
    await user.click(await screen.findByRole('button', { name: /Pioneer/ }));
    const dialog = screen.getByRole('dialog', { name: 'From Mature to Pioneer' });
    const roles = await within(dialog).findByRole('list', {
      name: 'What changes per role (level 3 → 1)',
    });
    expect(
      within(roles)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual([
      'Agent templates only',
      'Communications officer may no longer respond',
      'Employee, trained may no longer respond',
    ]);
  });

  it('a change refused because the level moved under the admin says so, with the level now', async () => {
    const { fake, org, user } = openAdmin();
    fake.override('PUT /api/org/maturity', () => {
      // Another admin went to level 2 a moment ago.
      Object.assign(org, { maturityLevel: 2, maturityName: 'growing' });
      return {
        status: 409,
        body: {
          statusCode: 409,
          code: 'conflict',
          message: 'The maturity level changed to 2 in the meantime; nothing was changed.',
          details: { maturityLevel: 2 },
        },
      };
    });
    await user.click(await screen.findByRole('button', { name: /Volwassen/ }));
    const dialog = screen.getByRole('dialog', { name: 'Van Pionier naar Volwassen' });
    await user.type(within(dialog).getByLabelText('Reden (komt in het auditlog)'), 'Klaar');
    await user.click(within(dialog).getByRole('button', { name: 'Naar niveau 3 · Volwassen' }));

    expect(
      await within(dialog).findByText(
        'Niet gewijzigd: iemand anders heeft het niveau intussen veranderd. Het is nu niveau 2 · Groeiend.',
      ),
    ).toBeInTheDocument();
    expect(fake.sent('PUT', '/api/org/maturity')[0]!.body).toMatchObject({ expectedLevel: 1 });
    // What the dialog showed was worked out from level 1: no second try on that basis.
    expect(
      within(dialog).getByRole('button', { name: 'Naar niveau 3 · Volwassen' }),
    ).toBeDisabled();
    // The page reads the organisation again: the steps show level 2.
    const steps = screen.getByRole('list', { name: 'Volwassenheidsniveau' });
    await waitFor(() =>
      expect(within(steps).getByRole('button', { name: /Groeiend/ })).toHaveAttribute(
        'aria-current',
        'step',
      ),
    );
    await user.click(
      within(dialog).getByRole('button', { name: 'Opnieuw bekijken vanaf niveau 2 · Groeiend' }),
    );
    const again = screen.getByRole('dialog', { name: 'Van Groeiend naar Volwassen' });
    expect(
      await within(again).findByRole('list', { name: 'Wat er per rol verandert (niveau 2 → 3)' }),
    ).toBeInTheDocument();
    expect(within(again).queryByRole('alert')).not.toBeInTheDocument();
    expect(within(again).getByRole('button', { name: 'Naar niveau 3 · Volwassen' })).toBeEnabled();
  });

  it('a level changed live while the dialog is open: said at once, nothing to confirm', async () => {
    const { org, user, socket } = openAdmin();
    await user.click(await screen.findByRole('button', { name: /Groeiend/ }));
    const dialog = screen.getByRole('dialog', { name: 'Van Pionier naar Groeiend' });
    await user.type(within(dialog).getByLabelText('Reden (komt in het auditlog)'), 'Klaar');
    Object.assign(org, { maturityLevel: 2, maturityName: 'growing' });
    act(() => {
      socket.serverSends('org.updated', { ...org });
    });
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Het niveau is intussen gewijzigd, door iemand anders: het is nu al niveau 2 · Groeiend. Er hoeft niets meer te veranderen.',
    );
    expect(within(dialog).getByRole('button', { name: 'Naar niveau 2 · Groeiend' })).toBeDisabled();
    await user.click(within(dialog).getByRole('button', { name: 'Sluiten' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('a clash that changed nothing says the level is still the same', async () => {
    const { fake, user } = openAdmin();
    fake.override('PUT /api/org/maturity', () => ({
      status: 409,
      body: {
        statusCode: 409,
        code: 'conflict',
        message: 'The data changed while the request ran; read it again and retry.',
      },
    }));
    await user.click(await screen.findByRole('button', { name: /Groeiend/ }));
    const dialog = screen.getByRole('dialog', { name: 'Van Pionier naar Groeiend' });
    await user.type(within(dialog).getByLabelText('Reden (komt in het auditlog)'), 'Klaar');
    await user.click(within(dialog).getByRole('button', { name: 'Naar niveau 2 · Groeiend' }));
    expect(
      await within(dialog).findByText(
        'Niet gewijzigd: de wijziging botste met een andere. Het niveau is nog steeds niveau 1 · Pionier; probeer het opnieuw.',
      ),
    ).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Naar niveau 2 · Groeiend' })).toBeEnabled();
  });

  it('a preview that fails to load offers to try again', async () => {
    const { fake, user } = openAdmin();
    let failures = 1;
    fake.override('GET /api/org/maturity/preview', () =>
      failures-- > 0
        ? { status: 500, body: { statusCode: 500, code: 'internal', message: 'boom' } }
        : {
            status: 200,
            body: { gaining: [comms], losing: [], conversationsReturned: 0, repliesWithdrawn: 0 },
          },
    );
    await user.click(await screen.findByRole('button', { name: /Groeiend/ }));
    const dialog = screen.getByRole('dialog', { name: 'Van Pionier naar Groeiend' });
    await user.click(await within(dialog).findByRole('button', { name: 'Opnieuw proberen' }));
    expect(
      await within(dialog).findByRole('list', { name: 'Mag voortaan antwoorden' }),
    ).toHaveTextContent('Carla Mol');
  });
});
