import { screenshot, signIn, TEXTS, useBrowserSuite } from '../support/browser';
import { newOrganisation, newUser } from '../support/factories';

const { nl, en } = TEXTS;

/**
 * The web app in real Chromium against the built api and worker: the login page, the
 * authenticated shell, the language switch and logout, as a person uses them.
 */
describe('signing in with a browser', () => {
  const suite = useBrowserSuite('login');

  it('an agent signs in, sees the shell with their name, switches to English and back, and signs out', async () => {
    const organisation = await newOrganisation(suite.db, { name: 'Stroomnet Webcare' });
    const agent = await newUser(suite.db, organisation, { role: 'agent', name: 'Sanne de Vries' });
    const page = await suite.newPage();
    const heading = (name: string) => page.getByRole('heading', { name, exact: true });
    const button = (name: string) => page.getByRole('button', { name, exact: true });
    const path = () => new URL(page.url()).pathname;
    const documentLanguage = () => page.locator('html').getAttribute('lang');

    // Signed out, the app sends a visitor to the login page, in Dutch by default.
    await page.goto('/');
    await heading(nl.login.title).waitFor();
    expect(path()).toBe('/login');
    expect(await documentLanguage()).toBe('nl');
    await screenshot(page, 'login');

    await signIn(page, agent.email);
    expect(path()).toBe('/');
    await heading(nl.home.title).waitFor();
    const header = page.getByRole('banner');
    await header.getByText(agent.name, { exact: true }).waitFor();
    await header.getByText(nl.roles.agent, { exact: true }).waitFor();
    await header.getByText(organisation.name, { exact: true }).waitFor();
    await page
      .getByText(
        nl.home.signedInAs.replace('{{name}}', agent.name).replace('{{email}}', agent.email),
      )
      .waitFor();
    await screenshot(page, 'home');

    // The refresh token is an HttpOnly cookie for /api/auth; no script can read it, and the
    // page's storage holds only the marker. A reload resumes the session with it.
    const [cookie, ...others] = await page.context().cookies();
    expect(others).toEqual([]);
    expect(cookie).toMatchObject({
      name: 'toonbank_refresh',
      path: '/api/auth',
      httpOnly: true,
      secure: true, // the built api runs as in production
      sameSite: 'Strict',
    });
    // Runs in the page: `globalThis` there is the browser's window.
    const pageStorage = await page.evaluate(() => {
      const { document, localStorage } = globalThis as unknown as {
        document: { cookie: string };
        localStorage: Record<string, string>;
      };
      return { cookie: document.cookie, localStorage: { ...localStorage } };
    });
    expect(pageStorage).toEqual({ cookie: '', localStorage: { 'toonbank.signedIn': '1' } });
    await page.reload();
    await heading(nl.home.title).waitFor();
    await header.getByText(agent.name, { exact: true }).waitFor();
    expect(path()).toBe('/');

    await button(en.language.en).click();
    await heading(en.home.title).waitFor();
    await button(en.shell.logout).waitFor();
    await header.getByText(en.roles.agent, { exact: true }).waitFor();
    await page.getByRole('navigation', { name: en.shell.mainNavigation }).waitFor();
    expect(await documentLanguage()).toBe('en');
    expect(await button(en.language.en).getAttribute('aria-pressed')).toBe('true');

    await button(nl.language.nl).click();
    await heading(nl.home.title).waitFor();
    await button(nl.shell.logout).waitFor();
    expect(await documentLanguage()).toBe('nl');

    await button(nl.shell.logout).click();
    await heading(nl.login.title).waitFor();
    expect(path()).toBe('/login');
    // The session is over, not just hidden: opening the app again asks to sign in.
    expect(await page.context().cookies()).toEqual([]);
    await page.goto('/');
    await heading(nl.login.title).waitFor();
    expect(path()).toBe('/login');

    expect(suite.pageErrors).toEqual([]);
  }, 60_000);
});
