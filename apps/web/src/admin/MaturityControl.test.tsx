import { screen, waitFor, within } from '@testing-library/react';
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
  fake.override('GET /api/org', () => ({ status: 200, body: org }));
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
});
