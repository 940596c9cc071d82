import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { DESKTOP, PHONE, screenshot, signIn, TEXTS, useBrowserSuite } from '../support/browser';
import { BUSY_DAY_HANDLE, seedBusyDay } from '../support/busy-day';
import { newTemplate, newUser } from '../support/factories';

/** axe-core's browser build, injected into each page as it is. */
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Every WCAG 2 A/AA violation axe finds on the page as it stands, whatever its impact. */
async function violations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol: the api's CSP refuses an inline <script> tag.
  await page.evaluate(AXE);
  // Runs in the page: `globalThis` there is the browser's window, where axe installed itself.
  const violations = await page.evaluate(async () => {
    const { axe } = globalThis as unknown as {
      axe: { run(options: object): Promise<{ violations: unknown[] }> };
    };
    const result = await axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
    return result.violations;
  });
  return (violations as AxeViolation[]).map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

const nl = TEXTS.nl;
const fill = (text: string, values: Record<string, string | number>) =>
  Object.entries(values).reduce(
    (out, [key, value]) => out.replace(`{{${key}}}`, String(value)),
    text,
  );

/**
 * Every screen of the web app, as an admin sees it on a busy day (320 conversations in every
 * state, long texts, overdue SLAs, a team), checked with axe-core in real Chromium at a
 * desktop's and a phone's width: no WCAG 2 A/AA violation of any impact (issues 6 and 14).
 */
describe('accessibility of every screen', () => {
  const suite = useBrowserSuite('a11y');

  it.each([
    ['1440×900', DESKTOP],
    ['390×844', PHONE],
  ] as const)(
    'axe finds nothing on any screen at %s',
    async (width, size) => {
      const day = await seedBusyDay(suite.db, { conversations: 320 });
      // Who a change of level touches besides the contact centre: communications, an ambassador.
      await newUser(suite.db, day.organisation, { role: 'communications', name: 'Carla Mol' });
      await newUser(suite.db, day.organisation, {
        role: 'employee',
        name: 'Eva Smit',
        trained: true,
      });
      await newTemplate(suite.db, day.organisation, { name: 'Storing: we kijken ernaar' });
      await newTemplate(suite.db, day.organisation, {
        name: 'Factuur nagaan',
        body: 'Dank voor uw bericht. We kijken factuur {{input.factuur}} voor u na. ^{{agent.initials}}',
        providers: ['mastodon', 'x'],
      });
      const [assigned] = day.byStatus.assigned;
      const opening = assigned!.preview.slice(
        BUSY_DAY_HANDLE.length + 1,
        BUSY_DAY_HANDLE.length + 30,
      );
      const desktop = size === DESKTOP;

      const page = await suite.newPage({ ...size });
      const found: Record<string, string[]> = {};
      const check = async (name: string, ready: () => Promise<unknown>) => {
        await ready();
        found[name] = await violations(page);
      };

      await page.goto('/login');
      await check('login', () => page.getByRole('heading', { level: 1 }).waitFor());
      await signIn(page, day.admin.email);
      // [name, path, text that shows the screen is ready, screenshot at 1440 (others: browser-webcare)]
      for (const [name, path, readyText, picture] of [
        // Any customer's handle: a row of the list has come.
        ['inbox', '/inbox?tab=unassigned', /@[a-z]+\d+@klant\.example/, null],
        ['conversation', `/inbox/${assigned!.id}?tab=mine`, opening, null],
        ['board', '/board', 'Team', null],
        ['my work', '/me', 'Open gesprekken', null],
        ['reports', '/reports', nl.reports.perDay, 'reports'],
        ['admin: maturity', '/admin?section=maturity', nl.maturity.names.pioneer, 'admin-policy'],
        ['admin: users', '/admin?section=users', day.teamLead.name, 'admin-users'],
        ['admin: channels', '/admin?section=channels', day.channel.name, 'admin-channels'],
        ['admin: tone', '/admin?section=tone', 'Verboden woorden en zinnen', 'admin-tone'],
        ['admin: templates', '/admin?section=templates', nl.adminTemplates.new, 'admin-templates'],
        ['admin: audit', '/admin?section=audit', nl.adminAudit.title, null],
        ['admin: queues', '/admin?section=queues', 'Wachtrijdashboard openen', null],
      ] as const) {
        await page.goto(path);
        await check(name, () => page.getByText(readyText).first().waitFor());
        // The users table shows each one's unique e-mail address: masked, so the picture stays put.
        if (picture && desktop) await screenshot(page, picture, { mask: [page.getByText(/@/)] });
      }

      // The maturity dialog, raising the busy day's level 2 to 3: what changes per role, and who.
      await page.goto('/admin?section=maturity');
      const steps = page.getByRole('list', { name: nl.maturity.label, exact: true });
      await steps.getByRole('button', { name: new RegExp(nl.maturity.names.mature) }).click();
      const dialog = page.getByRole('dialog', {
        name: fill(nl.admin.maturity.dialogTitle, {
          from: nl.maturity.names.growing,
          to: nl.maturity.names.mature,
        }),
      });
      const roles = dialog.getByRole('list', {
        name: fill(nl.admin.maturity.rolesTitle, { from: 2, to: 3 }),
        exact: true,
      });
      await check('admin: maturity dialog', async () => {
        await roles.waitFor();
        await dialog.getByRole('list', { name: nl.admin.maturity.gaining, exact: true }).waitFor();
      });
      expect(await roles.getByRole('listitem').allTextContents()).toEqual([
        `${nl.roles.communications} ${nl.admin.maturity.changes.approvalLifted}`,
        `${fill(nl.admin.policy.trained, { role: nl.roles.employee })} ${[
          nl.admin.maturity.changes.respondGained,
          nl.admin.maturity.changes.freeText,
          nl.admin.maturity.changes.approvalAdded,
        ].join(' · ')}`,
      ]);
      expect(
        await dialog
          .getByRole('list', { name: nl.admin.maturity.gaining, exact: true })
          .getByRole('listitem')
          .allTextContents(),
      ).toEqual([`Eva Smit (${nl.roles.employee})`]);
      await dialog
        .getByLabel(nl.admin.maturity.reason, { exact: true })
        .fill('De getrainde medewerkers antwoorden voortaan mee als ambassadeur.');
      if (desktop) await screenshot(page, 'admin-maturity-dialog');

      expect({ width, found }).toEqual({
        width,
        found: Object.fromEntries(Object.keys(found).map((name) => [name, []])),
      });
      expect(suite.pageErrors).toEqual([]);
    },
    240_000,
  );
});
