import { screen, waitFor, within } from '@testing-library/react';
import { LEGACY_REFRESH_TOKEN_KEY, SIGNED_IN_KEY } from '../api/client';
import { DEMO_LOGINS } from '../auth/demoLogins';
import { createFakeApi, deferred, errorResponse } from '../test/fakeApi';
import { ADMIN, AGENT } from '../test/fixtures';
import { renderApp } from '../test/renderApp';

const fillIn = async (
  user: ReturnType<typeof renderApp>['user'],
  email: string,
  password: string,
) => {
  await user.type(screen.getByLabelText('E-mailadres'), email);
  await user.type(screen.getByLabelText('Wachtwoord'), password);
};

describe('Login', () => {
  it('sends a signed-out visitor to the login page, with the e-mail field focused', async () => {
    renderApp(createFakeApi({ users: [ADMIN] }));

    expect(await screen.findByRole('heading', { name: 'Inloggen' })).toBeInTheDocument();
    expect(screen.getByLabelText('E-mailadres')).toHaveFocus();
    expect(screen.getByRole('main')).toBeInTheDocument();
  });

  it('signs in and shows the shell with the user’s name', async () => {
    const fake = createFakeApi({ users: [ADMIN] });
    const { user } = renderApp(fake);
    await screen.findByRole('heading', { name: 'Inloggen' });

    await fillIn(user, 'admin@demo.test', 'demo-password');
    await user.click(screen.getByRole('button', { name: 'Inloggen' }));

    expect(await screen.findByRole('heading', { name: 'Welkom' })).toBeInTheDocument();
    expect(screen.getByText('Ingelogd als Anna de Vries (admin@demo.test)')).toBeInTheDocument();
    const banner = screen.getByRole('banner');
    expect(within(banner).getByText('Anna de Vries')).toBeInTheDocument();
    expect(within(banner).getByText('Beheerder')).toBeInTheDocument();
    expect(fake.sent('POST', '/api/auth/login')[0].body).toEqual({
      email: 'admin@demo.test',
      password: 'demo-password',
    });
    // The refresh token went into the browser's HttpOnly cookie, never into the page's reach.
    expect(fake.sent('POST', '/api/auth/login')[0].headers['X-Refresh-Transport']).toBe('cookie');
    expect(fake.refreshCookie).toBe('refresh-1');
    expect({ ...window.localStorage }).toEqual({ [SIGNED_IN_KEY]: '1' });
  });

  it('returns the user to the page they asked for', async () => {
    const { user } = renderApp(createFakeApi({ users: [ADMIN] }), { route: '/reports' });
    await screen.findByRole('heading', { name: 'Inloggen' });

    await fillIn(user, 'admin@demo.test', 'demo-password');
    await user.click(screen.getByRole('button', { name: 'Inloggen' }));

    expect(await screen.findByRole('heading', { name: 'Rapportages' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Exporteren als CSV' })).toBeInTheDocument();
  });

  it('explains wrong credentials, clears the password and puts focus back on it', async () => {
    const { user } = renderApp(createFakeApi({ users: [AGENT] }));
    await screen.findByRole('heading', { name: 'Inloggen' });

    await fillIn(user, 'agent1@demo.test', 'wrong-password');
    await user.click(screen.getByRole('button', { name: 'Inloggen' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      'Dit e-mailadres en wachtwoord horen niet bij elkaar. Controleer ze en probeer het opnieuw.',
    );
    expect(alert).toHaveAttribute('aria-live', 'assertive');
    const password = screen.getByLabelText('Wachtwoord');
    expect(password).toHaveValue('');
    expect(password).toHaveFocus();
    expect(password).toHaveAttribute('aria-invalid', 'true');
    expect(password).toHaveAccessibleDescription(/horen niet bij elkaar/);
    expect(screen.getByRole('button', { name: 'Inloggen' })).toBeEnabled();
    expect(screen.queryByRole('heading', { name: 'Welkom' })).not.toBeInTheDocument();
  });

  it('shows the rate-limit message on a 429', async () => {
    const fake = createFakeApi({ users: [AGENT] });
    fake.override('POST /api/auth/login', () => errorResponse(429, 'rate_limited'));
    const { user } = renderApp(fake);
    await screen.findByRole('heading', { name: 'Inloggen' });

    await fillIn(user, 'agent1@demo.test', 'demo-password');
    await user.click(screen.getByRole('button', { name: 'Inloggen' }));

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Te veel mislukte pogingen. Wacht even en probeer het dan opnieuw.',
    );
  });

  it('tells how long to wait when the 429 carries Retry-After', async () => {
    const fake = createFakeApi({ users: [AGENT] });
    fake.override('POST /api/auth/login', () =>
      errorResponse(429, 'rate_limited', 'Locked', { 'Retry-After': '900' }),
    );
    const { user } = renderApp(fake);
    await screen.findByRole('heading', { name: 'Inloggen' });

    await fillIn(user, 'agent1@demo.test', 'demo-password');
    await user.click(screen.getByRole('button', { name: 'Inloggen' }));

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Te veel mislukte pogingen. Probeer het over 15 minuten opnieuw.',
    );
  });

  it('disables the button while signing in', async () => {
    const fake = createFakeApi({ users: [ADMIN] });
    const gate = deferred();
    const login = fake.route('POST /api/auth/login');
    fake.override('POST /api/auth/login', async (request) => {
      await gate.promise;
      return login(request);
    });
    const { user } = renderApp(fake);
    await screen.findByRole('heading', { name: 'Inloggen' });

    await fillIn(user, 'admin@demo.test', 'demo-password');
    await user.click(screen.getByRole('button', { name: 'Inloggen' }));

    const pending = await screen.findByRole('button', { name: 'Bezig met inloggen…' });
    expect(pending).toBeDisabled();
    await user.click(pending);
    gate.resolve();
    expect(await screen.findByRole('heading', { name: 'Welkom' })).toBeInTheDocument();
    expect(fake.sent('POST', '/api/auth/login')).toHaveLength(1);
  });

  it('offers the demo accounts only when asked to, and fills the form with one', async () => {
    const { unmount } = renderApp(createFakeApi({ users: [ADMIN] }));
    await screen.findByRole('heading', { name: 'Inloggen' });
    expect(screen.queryByRole('heading', { name: 'Demo-accounts' })).not.toBeInTheDocument();
    unmount();

    const { user } = renderApp(createFakeApi({ users: [ADMIN] }), { demoLogins: DEMO_LOGINS });
    expect(await screen.findByRole('heading', { name: 'Demo-accounts' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Vul lead@demo.test in (Teamleider)' }));

    expect(screen.getByLabelText('E-mailadres')).toHaveValue('lead@demo.test');
    expect(screen.getByLabelText('Wachtwoord')).toHaveValue('demo-password');
  });

  it('restores the session of the refresh cookie without asking for the password', async () => {
    const fake = createFakeApi({ users: [AGENT] });
    fake.rememberSession('agent1@demo.test');

    renderApp(fake, { route: '/inbox' });

    expect(await screen.findByRole('heading', { name: 'Inbox' })).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Inloggen' })).not.toBeInTheDocument();
    await waitFor(() => expect(fake.sent('GET', '/api/org')).toHaveLength(1));
    const [refresh, ...more] = fake.sent('POST', '/api/auth/refresh');
    expect(more).toHaveLength(0);
    expect(refresh?.body).toBeUndefined();
    expect(refresh?.headers['X-Refresh-Transport']).toBe('cookie');
  });

  it('falls back to the login page, without an error, when the cookie’s session is dead', async () => {
    const fake = createFakeApi({ users: [AGENT] });
    fake.rememberSession(null);

    renderApp(fake);

    expect(await screen.findByRole('heading', { name: 'Inloggen' })).toBeInTheDocument();
    expect(fake.sent('POST', '/api/auth/refresh')).toHaveLength(1);
    expect(window.localStorage.getItem(SIGNED_IN_KEY)).toBeNull();
    expect(screen.getByRole('alert')).toBeEmptyDOMElement();
  });

  it('drops a refresh token an earlier version left in localStorage, unused', async () => {
    const fake = createFakeApi({ users: [AGENT] });
    window.localStorage.setItem(LEGACY_REFRESH_TOKEN_KEY, 'refresh-of-an-earlier-version');

    renderApp(fake);

    expect(await screen.findByRole('heading', { name: 'Inloggen' })).toBeInTheDocument();
    expect(window.localStorage.getItem(LEGACY_REFRESH_TOKEN_KEY)).toBeNull();
    expect(fake.requests).toHaveLength(0);
  });
});
