import { screen, within } from '@testing-library/react';
import { LANGUAGE_STORAGE_KEY } from '../i18n';
import { createFakeApi } from '../test/fakeApi';
import { ADMIN } from '../test/fixtures';
import { renderApp } from '../test/renderApp';

describe('Language switch', () => {
  it('starts in Dutch and switches the login page to English', async () => {
    const { user } = renderApp(createFakeApi({ users: [ADMIN] }));
    expect(await screen.findByRole('heading', { name: 'Inloggen' })).toBeInTheDocument();
    expect(document.documentElement.lang).toBe('nl');

    const languages = screen.getByRole('group', { name: 'Taal' });
    await user.click(within(languages).getByRole('button', { name: 'English' }));

    expect(screen.getByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(screen.getByLabelText('E-mail address')).toBeInTheDocument();
    expect(screen.getByLabelText('Password')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeInTheDocument();
    expect(screen.getByRole('group', { name: 'Language' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'English' })).toHaveAttribute('aria-pressed', 'true');
    expect(document.documentElement.lang).toBe('en');
    expect(window.localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBe('en');
  });

  it('keeps the chosen language on the next visit and translates the shell', async () => {
    window.localStorage.setItem(LANGUAGE_STORAGE_KEY, 'en');
    const fake = createFakeApi({ users: [ADMIN] });
    fake.rememberSession(ADMIN.email);
    const { user } = renderApp(fake);

    expect(await screen.findByRole('heading', { name: 'Welcome' })).toBeInTheDocument();
    expect(await screen.findByText('Level 1 · Pioneer')).toBeInTheDocument();
    expect(screen.getByText('Signed in as Anna de Vries (admin@demo.test)')).toBeInTheDocument();
    const nav = screen.getByRole('navigation', { name: 'Main navigation' });
    expect(within(nav).getByRole('link', { name: 'Reports' })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Nederlands' }));

    expect(screen.getByRole('heading', { name: 'Welkom' })).toBeInTheDocument();
    expect(screen.getByText('Niveau 1 · Pionier')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Uitloggen' })).toBeInTheDocument();
    expect(within(nav).getByRole('link', { name: 'Rapportages' })).toBeInTheDocument();
    expect(window.localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBe('nl');
  });
});
