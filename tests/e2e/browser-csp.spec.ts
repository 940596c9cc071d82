import type { Page } from 'playwright-core';
import { signIn, useBrowserSuite } from '../support/browser';
import { newStaffedOrganisation } from '../support/factories';

/**
 * The web app and the Swagger UI under the api's Content-Security-Policy (issue 11, item 6),
 * in real Chromium against the built api: every screen loads, the live socket connects, and
 * the browser reports no violation of the policy.
 */
describe('the Content-Security-Policy in a browser', () => {
  const suite = useBrowserSuite('csp');

  /** Every violation of the CSP that Chromium reports on the page's console. */
  function watchViolations(page: Page): string[] {
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    return violations;
  }

  it('every screen of an admin, with the live socket, breaks no rule of the policy', async () => {
    const world = await newStaffedOrganisation(suite.db, { name: 'CSP Webcare' });
    const page = await suite.newPage();
    const violations = watchViolations(page);
    const sockets: string[] = [];
    page.on('websocket', (socket) => sockets.push(socket.url()));

    await page.goto('/');
    await signIn(page, world.admin.email);
    for (const path of ['/inbox', '/board', '/me', '/reports', '/admin']) {
      await page.goto(path);
      await page.getByRole('main').waitFor();
      await page.waitForLoadState('networkidle');
    }
    // The live socket (a websocket to the same origin) is allowed by connect-src 'self'.
    expect(sockets.some((url) => new URL(url).pathname.startsWith('/socket.io/'))).toBe(true);
    expect(violations).toEqual([]);
    expect(suite.pageErrors).toEqual([]);
  });

  it('the Swagger UI at /api/docs renders under the same policy', async () => {
    const page = await suite.newPage();
    const violations = watchViolations(page);
    await page.goto('/api/docs/');
    await page.locator('.swagger-ui .info .title').waitFor();
    await page.locator('.opblock').first().waitFor();
    expect(violations).toEqual([]);
  });
});
