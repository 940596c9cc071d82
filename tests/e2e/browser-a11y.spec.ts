import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { screenshot, signIn, useBrowserSuite } from '../support/browser';
import {
  newChannelAccount,
  newConversation,
  newInboundMessage,
  newStaffedOrganisation,
  newTemplate,
} from '../support/factories';

/** axe-core's browser build, injected into each page as it is. */
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  help: string;
  nodes: { target: string[] }[];
}

/** The serious and critical WCAG 2 A/AA violations axe finds on the page as it stands. */
async function seriousViolations(page: Page): Promise<string[]> {
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
  return (violations as AxeViolation[])
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
}

/**
 * Every screen of the web app, as an admin sees it with work in the inbox, checked with
 * axe-core in real Chromium: no serious or critical WCAG 2 A/AA violation (issue 6).
 */
describe('accessibility of every screen', () => {
  const suite = useBrowserSuite('a11y');

  it('axe finds no serious issue on login, inbox, conversation, board, my work, reports and each admin section', async () => {
    const world = await newStaffedOrganisation(suite.db, {
      name: 'Stroomnet Webcare',
      routingStrategy: 'manual',
    });
    // Fixed names, so that the screenshots look like a team and stay the same from run to run.
    const names: [{ id: string }, string][] = [
      [world.admin, 'Anna de Vries'],
      [world.teamLead, 'Lars Bakker'],
      [world.agent, 'Bram Jansen'],
      [world.communications, 'Carla Mol'],
      [world.employeeTrained, 'Eva Smit'],
      [world.employeeUntrained, 'Daan Kok'],
    ];
    for (const [user, name] of names) {
      const words = name.split(' ');
      const initials = `${words[0]![0]}${words.at(-1)![0]}`;
      await suite.db.query('UPDATE users SET name = $2, initials = $3 WHERE id = $1', [
        user.id,
        name,
        initials,
      ]);
    }
    await newTemplate(suite.db, world.organisation, { name: 'Storing: we kijken ernaar' });
    await newTemplate(suite.db, world.organisation, {
      name: 'Factuur nagaan',
      body: 'Dank voor uw bericht. We kijken factuur {{input.factuur}} voor u na. ^{{agent.initials}}',
      providers: ['mastodon', 'x'],
    });
    const channel = await newChannelAccount(suite.db, world.organisation, {
      name: 'Mastodon Stroomnet',
    });
    const conversation = await newConversation(suite.db, world.organisation, channel, {
      status: 'assigned',
      assigneeId: world.admin.id,
      slaDueAt: new Date(Date.now() + 30 * 60_000),
    });
    await newInboundMessage(suite.db, conversation, { text: 'Mijn factuur klopt niet.' });
    const waiting = await newConversation(suite.db, world.organisation, channel, {
      preview: 'Is er een storing?',
      slaDueAt: new Date(Date.now() - 5 * 60_000),
    });
    await newInboundMessage(suite.db, waiting, { text: 'Is er een storing?' });

    const page = await suite.newPage();
    const found: Record<string, string[]> = {};
    const check = async (name: string, ready: () => Promise<unknown>) => {
      await ready();
      found[name] = await seriousViolations(page);
    };

    await page.goto('/login');
    await check('login', () => page.getByRole('heading', { level: 1 }).waitFor());
    await signIn(page, world.admin.email);
    // [name, path, text that shows the screen is ready, screenshot (the others come from browser-webcare)]
    for (const [name, path, readyText, picture] of [
      ['inbox', '/inbox?tab=unassigned', 'Is er een storing?', null],
      ['conversation', `/inbox/${conversation.id}?tab=mine`, 'Mijn factuur klopt niet.', null],
      ['board', '/board', 'Team', null],
      ['my work', '/me', 'Open gesprekken', null],
      ['reports', '/reports', 'Berichten per dag', 'reports'],
      ['admin: maturity', '/admin?section=maturity', 'Pionier', 'admin-policy'],
      ['admin: users', '/admin?section=users', 'Bram Jansen', 'admin-users'],
      ['admin: channels', '/admin?section=channels', channel.name, 'admin-channels'],
      ['admin: tone', '/admin?section=tone', 'Verboden woorden en zinnen', 'admin-tone'],
      ['admin: templates', '/admin?section=templates', 'Nieuw sjabloon', 'admin-templates'],
      ['admin: audit', '/admin?section=audit', 'Auditlog', null],
      ['admin: queues', '/admin?section=queues', 'Wachtrijdashboard openen', null],
    ] as const) {
      await page.goto(path);
      await check(name, () => page.getByText(readyText).first().waitFor());
      // The users table shows each one's unique e-mail address: masked, so the picture stays put.
      if (picture) await screenshot(page, picture, { mask: [page.getByText(/@/)] });
    }
    expect(found).toEqual(Object.fromEntries(Object.keys(found).map((name) => [name, []])));
    expect(suite.pageErrors).toEqual([]);
  }, 120_000);
});
