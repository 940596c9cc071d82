import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { UserDto } from '@toonbank/shared';
import { conflictResponse, createFakeApi, type FakeApi } from '../../test/fakeApi';
import { ADMIN, AGENT, EMPLOYEE, makeUser } from '../../test/fixtures';
import { renderApp } from '../../test/renderApp';
import { formatDay } from './UsersAdmin';

const CARLA = makeUser({
  id: '00000000-0000-4000-8000-0000000000e1',
  email: 'comms@demo.test',
  name: 'Carla Mol',
  initials: 'CM',
  role: 'communications',
  trainedAt: '2026-03-02T00:00:00.000Z',
  languages: ['nl', 'en'],
  available: false,
});

const PASSWORD = 'een-lang-wachtwoord';

function openUsers(users: UserDto[] = [ADMIN, AGENT, EMPLOYEE, CARLA]) {
  const fake = createFakeApi({ users: [ADMIN] });
  const list = users.map((u) => ({ ...u }));
  fake.override('GET /api/users', () => ({
    status: 200,
    body: { items: list, nextCursor: null },
  }));
  fake.rememberSession(ADMIN.email);
  return { fake, list, ...renderApp(fake, { route: '/admin?section=users' }) };
}

/** PATCH /api/users/:id answered with the record changed as asked; the bodies sent. */
function acceptPatch(fake: FakeApi, list: UserDto[], id: string) {
  const bodies: unknown[] = [];
  fake.override(`PATCH /api/users/${id}`, (request) => {
    bodies.push(request.body);
    const user = list.find((u) => u.id === id)!;
    Object.assign(user, request.body);
    return { status: 200, body: user };
  });
  return bodies;
}

const section = () => screen.findByRole('region', { name: /^Gebruikers/ });
const row = async (name: string) =>
  within(await section()).findByRole('row', { name: new RegExp(name) });

describe('Users admin', () => {
  it('lists the users with role, training, capacity, languages, eligibility and availability', async () => {
    const { fake } = openUsers();
    const table = await within(await section()).findByRole('table');
    const headers = within(table).getAllByRole('columnheader');
    expect(headers.map((h) => h.textContent)).toEqual([
      'Naam',
      'E-mailadres',
      'Rol',
      'Getraind op',
      'Capaciteit',
      'Talen',
      'Account',
      'Mag antwoorden',
      'Beschikbaarheid',
      'Acties',
    ]);
    for (const header of headers) expect(header).toHaveAttribute('scope', 'col');
    expect(within(table).getAllByRole('rowheader')).toHaveLength(4);

    const carla = await row('Carla Mol');
    expect(carla).toHaveTextContent('comms@demo.test');
    expect(carla).toHaveTextContent('Communicatieadviseur');
    expect(carla).toHaveTextContent(formatDay(CARLA.trainedAt!, 'nl'));
    expect(carla).toHaveTextContent('nl, en');
    expect(carla).toHaveTextContent('niet beschikbaar');
    expect(within(carla).getByText('mag antwoorden')).toHaveClass('badge');
    const eva = await row('Eva Smit');
    expect(eva).toHaveTextContent('niet getraind');
    expect(within(eva).getByText('mag niet antwoorden')).toHaveClass('badge-muted');
    expect(fake.sent('GET', '/api/users')[0]!.query).toEqual({ limit: '200' });
  });

  it('pages on with the cursor when there are more users', async () => {
    const { fake, user } = openUsers();
    fake.override('GET /api/users', (request) => ({
      status: 200,
      body:
        request.query.cursor === 'page-2'
          ? { items: [CARLA], nextCursor: null }
          : { items: [ADMIN, AGENT], nextCursor: 'page-2' },
    }));
    const more = await within(await section()).findByRole('button', {
      name: 'Meer gebruikers laden',
    });
    expect(within(await section()).queryByText('Carla Mol')).not.toBeInTheDocument();
    await user.click(more);
    expect(await row('Carla Mol')).toBeInTheDocument();
    expect(fake.sent('GET', '/api/users').map((r) => r.query.cursor)).toContain('page-2');
    expect(within(await section()).queryByRole('button', { name: 'Meer gebruikers laden' })).toBe(
      null,
    );
  });

  it('sends only the changed fields when editing, then reads the users again', async () => {
    const { fake, list, user } = openUsers();
    const sent = acceptPatch(fake, list, AGENT.id);
    await user.click(
      await within(await section()).findByRole('button', { name: 'Bram Jansen bewerken' }),
    );
    const readsBefore = fake.sent('GET', '/api/users').length;
    const dialog = screen.getByRole('dialog', { name: 'Bram Jansen bewerken' });
    const save = within(dialog).getByRole('button', { name: 'Opslaan' });
    expect(save).toBeDisabled();
    expect(within(dialog).getByLabelText('Naam')).toHaveValue('Bram Jansen');
    expect(within(dialog).getByLabelText('Talen')).toHaveValue('nl');

    const capacity = within(dialog).getByLabelText('Capaciteit');
    await user.clear(capacity);
    await user.type(capacity, '5');
    const languages = within(dialog).getByLabelText('Talen');
    await user.clear(languages);
    await user.type(languages, 'nl, EN');
    fireEvent.change(within(dialog).getByLabelText('Getraind op'), {
      target: { value: '2026-03-02' },
    });
    await user.click(save);

    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toEqual({ capacity: 5, languages: ['nl', 'en'], trainedAt: '2026-03-02' });
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    await waitFor(() => expect(fake.sent('GET', '/api/users').length).toBeGreaterThan(readsBefore));
    expect(await row('Bram Jansen')).toHaveTextContent('nl, en');
  });

  it('clears the training date with null and changes the role', async () => {
    const { fake, list, user } = openUsers();
    const sent = acceptPatch(fake, list, CARLA.id);
    await user.click(
      await within(await section()).findByRole('button', { name: 'Carla Mol bewerken' }),
    );
    const dialog = screen.getByRole('dialog', { name: 'Carla Mol bewerken' });
    expect(within(dialog).getByLabelText('Getraind op')).toHaveValue('2026-03-02');
    fireEvent.change(within(dialog).getByLabelText('Getraind op'), { target: { value: '' } });
    await user.selectOptions(within(dialog).getByLabelText('Rol'), 'Klantcontactmedewerker');
    await user.click(within(dialog).getByRole('button', { name: 'Opslaan' }));
    await waitFor(() => expect(sent).toEqual([{ trainedAt: null, role: 'agent' }]));
  });

  it('refuses languages that are no codes without asking the server', async () => {
    const { fake, user } = openUsers();
    await user.click(
      await within(await section()).findByRole('button', { name: 'Bram Jansen bewerken' }),
    );
    const dialog = screen.getByRole('dialog', { name: 'Bram Jansen bewerken' });
    const languages = within(dialog).getByLabelText('Talen');
    await user.clear(languages);
    await user.type(languages, 'Nederlands');
    await user.click(within(dialog).getByRole('button', { name: 'Opslaan' }));
    expect(within(dialog).getByRole('alert')).toHaveTextContent('Talen');
    expect(languages).toHaveAttribute('aria-invalid', 'true');
    expect(fake.sent('PATCH', `/api/users/${AGENT.id}`)).toHaveLength(0);
  });

  it('asks before deactivating, and sends only active: false', async () => {
    const { fake, list, user } = openUsers();
    const sent = acceptPatch(fake, list, AGENT.id);
    const users = await section();
    expect(
      await within(users).findByRole('button', { name: 'Anna de Vries deactiveren' }),
    ).toBeDisabled();

    await user.click(within(users).getByRole('button', { name: 'Bram Jansen deactiveren' }));
    let dialog = screen.getByRole('dialog', { name: 'Bram Jansen deactiveren?' });
    expect(dialog).toHaveTextContent('uitgelogd');
    expect(dialog).toHaveTextContent('terug naar de wachtrij');
    await user.click(within(dialog).getByRole('button', { name: 'Annuleren' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(sent).toHaveLength(0);

    await user.click(within(users).getByRole('button', { name: 'Bram Jansen deactiveren' }));
    dialog = screen.getByRole('dialog', { name: 'Bram Jansen deactiveren?' });
    await user.click(within(dialog).getByRole('button', { name: 'Deactiveren' }));
    await waitFor(() => expect(sent).toEqual([{ active: false }]));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(
      await within(users).findByRole('button', { name: 'Bram Jansen activeren' }),
    ).toBeInTheDocument();
    expect(await row('Bram Jansen')).toHaveTextContent('gedeactiveerd');
  });

  it('a deactivation refused with 409 says why in its own words, and reads the list again', async () => {
    const other = makeUser({
      id: '00000000-0000-4000-8000-0000000000e2',
      email: 'tweede@demo.test',
      name: 'Kees Admin',
      role: 'admin',
    });
    const { fake, user } = openUsers([ADMIN, other, AGENT]);
    fake.override(`PATCH /api/users/${other.id}`, () =>
      conflictResponse('The organisation must keep at least one active admin.', 'last_admin'),
    );
    const users = await section();
    const reads = () => fake.sent('GET', '/api/users').length;
    await user.click(await within(users).findByRole('button', { name: 'Kees Admin deactiveren' }));
    const before = reads();
    const dialog = screen.getByRole('dialog', { name: 'Kees Admin deactiveren?' });
    await user.click(within(dialog).getByRole('button', { name: 'Deactiveren' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Niet gedeactiveerd: de organisatie moet minstens één actieve beheerder houden. Kees Admin blijft actief.',
    );
    // What is on screen may be out of date: it is read again.
    await waitFor(() => expect(reads()).toBeGreaterThan(before));
  });

  it('any other conflict on a deactivation (no reason from the server) gets the generic words', async () => {
    const other = makeUser({
      id: '00000000-0000-4000-8000-0000000000e2',
      email: 'tweede@demo.test',
      name: 'Kees Admin',
      role: 'admin',
    });
    const { fake, user } = openUsers([ADMIN, other, AGENT]);
    // inTransaction's answer when its retries ran out: a conflict, but not the last admin.
    fake.override(`PATCH /api/users/${other.id}`, () =>
      conflictResponse('The data changed meanwhile; try again.'),
    );
    const users = await section();
    await user.click(await within(users).findByRole('button', { name: 'Kees Admin deactiveren' }));
    const dialog = screen.getByRole('dialog', { name: 'Kees Admin deactiveren?' });
    await user.click(within(dialog).getByRole('button', { name: 'Deactiveren' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent(
      'Niet gelukt: dit is intussen veranderd, misschien door een collega. Er is niets gewijzigd; je ziet nu de actuele stand.',
    );
    expect(alert).not.toHaveTextContent('beheerder');
  });

  it('reactivates without asking', async () => {
    const { fake, list, user } = openUsers([ADMIN, { ...AGENT, active: false }]);
    const sent = acceptPatch(fake, list, AGENT.id);
    await user.click(
      await within(await section()).findByRole('button', { name: 'Bram Jansen activeren' }),
    );
    await waitFor(() => expect(sent).toEqual([{ active: true }]));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  describe('adding a user', () => {
    const openForm = async (user: ReturnType<typeof openUsers>['user']) => {
      await user.click(
        await within(await section()).findByRole('button', { name: 'Gebruiker toevoegen' }),
      );
      return screen.getByRole('form', { name: 'Nieuwe gebruiker' });
    };
    const fill = async (
      user: ReturnType<typeof openUsers>['user'],
      form: HTMLElement,
      email = 'agent1@demo.test',
    ) => {
      await user.type(within(form).getByLabelText('E-mailadres'), email);
      await user.type(within(form).getByLabelText('Startwachtwoord'), PASSWORD);
      await user.type(within(form).getByLabelText('Naam'), 'Bram Twee');
      await user.type(within(form).getByLabelText('Talen'), 'nl');
    };

    it('shows a duplicate e-mail (409) next to the form and marks the e-mail', async () => {
      const { fake, user } = openUsers();
      let body: unknown;
      fake.override('POST /api/users', (request) => {
        body = request.body;
        return conflictResponse('A user with this e-mail address already exists.', 'email_taken');
      });
      const form = await openForm(user);
      expect(within(form).getByLabelText('Startwachtwoord')).toHaveAttribute('type', 'password');
      await fill(user, form);
      await user.click(within(form).getByRole('button', { name: 'Toevoegen' }));

      expect(await within(form).findByRole('alert')).toHaveTextContent(
        'Er is al een gebruiker met dit e-mailadres.',
      );
      expect(within(form).getByLabelText('E-mailadres')).toHaveAttribute('aria-invalid', 'true');
      expect(body).toEqual({
        email: 'agent1@demo.test',
        name: 'Bram Twee',
        role: 'agent',
        password: PASSWORD,
        languages: ['nl'],
      });
    });

    it('a conflict the server gives no reason for is not called a taken e-mail', async () => {
      const { fake, user } = openUsers();
      fake.override('POST /api/users', () =>
        conflictResponse('The data changed meanwhile; try again.'),
      );
      const form = await openForm(user);
      await fill(user, form);
      await user.click(within(form).getByRole('button', { name: 'Toevoegen' }));
      const alert = await within(form).findByRole('alert');
      expect(alert).toHaveTextContent(
        'Niet gelukt: dit is intussen veranderd, misschien door een collega. Er is niets gewijzigd; je ziet nu de actuele stand.',
      );
      expect(alert).not.toHaveTextContent('e-mailadres');
      expect(within(form).getByLabelText('E-mailadres')).not.toHaveAttribute(
        'aria-invalid',
        'true',
      );
    });

    it('lists the fields a 400 names', async () => {
      const { fake, user } = openUsers();
      fake.override('POST /api/users', () => ({
        status: 400,
        body: {
          statusCode: 400,
          code: 'validation.failed',
          message: 'trainedAt must be a valid ISO 8601 date string',
          details: { fields: ['trainedAt'], errors: { trainedAt: ['must be a date'] } },
        },
      }));
      const form = await openForm(user);
      await fill(user, form, 'nieuw@demo.test');
      await user.click(within(form).getByRole('button', { name: 'Toevoegen' }));
      const alert = await within(form).findByRole('alert');
      expect(alert).toHaveTextContent('De invoer is niet geldig.');
      expect(within(alert).getByRole('listitem')).toHaveTextContent('Getraind op');
      expect(within(form).getByLabelText('Getraind op')).toHaveAttribute('aria-invalid', 'true');
    });

    it('adds the user with the optional fields filled in, then clears the form', async () => {
      const { fake, list, user } = openUsers();
      let body: unknown;
      fake.override('POST /api/users', (request) => {
        body = request.body;
        const created = makeUser({ ...(request.body as Partial<UserDto>), role: 'employee' });
        list.push({ ...created, id: '00000000-0000-4000-8000-0000000000f9' });
        return { status: 201, body: created };
      });
      const form = await openForm(user);
      await fill(user, form, 'Nieuw@Demo.test ');
      await user.selectOptions(within(form).getByLabelText('Rol'), 'Medewerker');
      await user.type(within(form).getByLabelText('Initialen (optioneel)'), 'bt');
      await user.type(within(form).getByLabelText('Capaciteit (optioneel)'), '4');
      fireEvent.change(within(form).getByLabelText('Getraind op'), {
        target: { value: '2026-01-15' },
      });
      await user.click(within(form).getByRole('button', { name: 'Toevoegen' }));

      expect(await screen.findByText('Bram Twee is toegevoegd.')).toBeInTheDocument();
      expect(body).toEqual({
        email: 'Nieuw@Demo.test',
        name: 'Bram Twee',
        role: 'employee',
        password: PASSWORD,
        initials: 'BT',
        trainedAt: '2026-01-15',
        capacity: 4,
        languages: ['nl'],
      });
      expect(within(form).getByLabelText('E-mailadres')).toHaveValue('');
      expect(within(form).getByLabelText('Startwachtwoord')).toHaveValue('');
      expect(await row('Bram Twee')).toBeInTheDocument();
    });

    it('checks the e-mail and the password length before sending', async () => {
      const { fake, user } = openUsers();
      const form = await openForm(user);
      await user.type(within(form).getByLabelText('E-mailadres'), 'geen-adres');
      await user.type(within(form).getByLabelText('Startwachtwoord'), 'kort');
      await user.type(within(form).getByLabelText('Naam'), 'Bram Twee');
      await user.click(within(form).getByRole('button', { name: 'Toevoegen' }));
      const alert = within(form).getByRole('alert');
      expect(
        within(alert)
          .getAllByRole('listitem')
          .map((li) => li.textContent),
      ).toEqual(['E-mailadres', 'Startwachtwoord']);
      expect(fake.sent('POST', '/api/users')).toHaveLength(0);
    });
  });
});
