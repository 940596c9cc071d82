import { act, screen, waitFor, within } from '@testing-library/react';
import type { UserDto } from '@toonbank/shared';
import { SIGNED_IN_KEY } from '../api/client';
import { createFakeApi, deferred, errorResponse, type FakeApi } from '../test/fakeApi';
import { ADMIN, AGENT, EMPLOYEE, LEAD } from '../test/fixtures';
import { renderApp } from '../test/renderApp';

/** Render the app already signed in as `account` (a session resumed by its refresh cookie). */
const signedInAs = (account: UserDto, route = '/') => {
  const fake = createFakeApi({ users: [account] });
  fake.rememberSession(account.email);
  return { fake, ...renderApp(fake, { route }) };
};

const navLinks = async () => {
  const nav = await screen.findByRole('navigation', { name: 'Hoofdmenu' });
  return within(nav)
    .getAllByRole('link')
    .map((link) => link.textContent);
};

describe('Shell', () => {
  it('shows the organisation, its maturity level, and the user with their role', async () => {
    signedInAs(LEAD);

    const banner = await screen.findByRole('banner');
    expect(within(banner).getByText('Toonbank')).toBeInTheDocument();
    expect(await within(banner).findByText('Demo Energie')).toBeInTheDocument();
    expect(within(banner).getByText('Niveau 1 · Pionier')).toBeInTheDocument();
    expect(within(banner).getByText('Lars Bakker')).toBeInTheDocument();
    expect(within(banner).getByText('Teamleider')).toBeInTheDocument();
    expect(within(banner).getByText('Ingelogd als Lars Bakker, Teamleider')).toHaveClass(
      'visually-hidden',
    );
  });

  it('hides Board, Reports and Admin from an agent', async () => {
    signedInAs(AGENT);

    expect(await navLinks()).toEqual(['Start', 'Inbox', 'Mijn werk']);
  });

  it('shows Board and Reports, not Admin, to a team lead', async () => {
    signedInAs(LEAD);

    expect(await navLinks()).toEqual(['Start', 'Inbox', 'Bord', 'Mijn werk', 'Rapportages']);
  });

  it('shows every screen, Admin included, to an admin', async () => {
    const { user } = signedInAs(ADMIN);

    expect(await navLinks()).toEqual([
      'Start',
      'Inbox',
      'Bord',
      'Mijn werk',
      'Rapportages',
      'Beheer',
    ]);
    await user.click(screen.getByRole('link', { name: 'Beheer' }));
    expect(await screen.findByRole('heading', { name: 'Beheer' })).toBeInTheDocument();
    expect(
      await screen.findByRole('heading', { name: 'Volwassenheidsniveau' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Beheer' })).toHaveAttribute('aria-current', 'page');
  });

  it('refuses the admin screen to an agent who types its address', async () => {
    signedInAs(AGENT, '/admin');

    expect(await screen.findByRole('heading', { name: 'Geen toegang' })).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Volwassenheidsniveau' })).not.toBeInTheDocument();
  });

  it('tells the user whether they may respond at the current level', async () => {
    signedInAs(AGENT);
    expect(
      await screen.findByText('Je mag klanten antwoorden op het huidige volwassenheidsniveau.'),
    ).toBeInTheDocument();
    expect(screen.getByText('Ingelogd als Bram Jansen (agent1@demo.test)')).toBeInTheDocument();
  });

  it('tells an ineligible user they may not respond yet', async () => {
    signedInAs(EMPLOYEE);
    expect(
      await screen.findByText(/Je mag klanten nog niet antwoorden op het huidige/),
    ).toBeInTheDocument();
    expect(screen.getByText('Rol: Medewerker')).toBeInTheDocument();
  });

  describe('availability', () => {
    const holdAvailability = (fake: FakeApi, answer: 'ok' | 'fail') => {
      const gate = deferred();
      const put = fake.route('PUT /api/me/availability');
      fake.override('PUT /api/me/availability', async (request) => {
        await gate.promise;
        return answer === 'ok' ? put(request) : errorResponse(500, 'internal');
      });
      return gate;
    };

    it('switches at once and keeps the answer of the API', async () => {
      const { fake, user } = signedInAs(AGENT);
      const gate = holdAvailability(fake, 'ok');
      const toggle = await screen.findByRole('switch', { name: 'Beschikbaar' });
      expect(toggle).toBeChecked();

      await user.click(toggle);
      expect(toggle).not.toBeChecked(); // optimistic, before the API answered
      gate.resolve();

      await waitFor(() => expect(fake.sent('PUT', '/api/me/availability')).toHaveLength(1));
      expect(fake.sent('PUT', '/api/me/availability')[0].body).toEqual({ available: false });
      await waitFor(() => expect(toggle).not.toBeChecked());
      expect(screen.queryByText(/kon niet worden gewijzigd/)).not.toBeInTheDocument();
    });

    it('rolls back and says so when the API refuses', async () => {
      const { fake, user } = signedInAs(AGENT);
      const gate = holdAvailability(fake, 'fail');
      const toggle = await screen.findByRole('switch', { name: 'Beschikbaar' });

      await user.click(toggle);
      expect(toggle).not.toBeChecked();
      gate.resolve();

      expect(
        await screen.findByText(
          'Je beschikbaarheid kon niet worden gewijzigd. Probeer het opnieuw.',
        ),
      ).toBeInTheDocument();
      expect(toggle).toBeChecked();
    });
  });

  it('logs out: revokes the session on the server, forgets it and shows the login page', async () => {
    const { fake, user, queryClient } = signedInAs(ADMIN, '/board');
    await screen.findByRole('heading', { name: 'Bord' });

    await user.click(screen.getByRole('button', { name: 'Uitloggen' }));

    expect(await screen.findByRole('heading', { name: 'Inloggen' })).toBeInTheDocument();
    expect(fake.sent('POST', '/api/auth/logout')).toHaveLength(1);
    expect(fake.refreshCookie).toBeNull(); // cleared by the server
    expect(window.localStorage.getItem(SIGNED_IN_KEY)).toBeNull();
    expect(queryClient.getQueryCache().getAll()).toHaveLength(0);

    // Signing in again after an explicit logout starts at home, not at the last screen.
    await user.type(screen.getByLabelText('E-mailadres'), 'admin@demo.test');
    await user.type(screen.getByLabelText('Wachtwoord'), 'demo-password');
    await user.click(screen.getByRole('button', { name: 'Inloggen' }));
    expect(await screen.findByRole('heading', { name: 'Welkom' })).toBeInTheDocument();
  });

  it('returns to the login page when the session ends behind the user’s back', async () => {
    const { fake, user } = signedInAs(ADMIN);
    await screen.findByRole('heading', { name: 'Welkom' });
    fake.expireAccessTokens();
    fake.revokeRefreshTokens();

    await user.click(await screen.findByRole('switch', { name: 'Beschikbaar' }));

    expect(await screen.findByRole('heading', { name: 'Inloggen' })).toBeInTheDocument();
    expect(window.localStorage.getItem(SIGNED_IN_KEY)).toBeNull();
  });

  it('follows a sign-out in another tab (the signed-in marker goes)', async () => {
    const { fake } = signedInAs(ADMIN);
    await screen.findByRole('heading', { name: 'Welkom' });

    // Another tab signed out: it removed the marker, and the browser says so here.
    window.localStorage.removeItem(SIGNED_IN_KEY);
    await act(async () => {
      window.dispatchEvent(
        new StorageEvent('storage', { key: SIGNED_IN_KEY, oldValue: '1', newValue: null }),
      );
      // The query cache tells its observers on a timer of its own: let that happen in here.
      await new Promise((resolve) => setTimeout(resolve, 20));
    });

    expect(await screen.findByRole('heading', { name: 'Inloggen' })).toBeInTheDocument();
    expect(fake.sent('POST', '/api/auth/logout')).toHaveLength(0); // that tab did it
  });
});
