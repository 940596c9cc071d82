import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { seedBusyDay, type BusyDay } from '../support/busy-day';
import {
  DESKTOP,
  PHONE,
  screenshot,
  signIn,
  TEXTS,
  useBrowserSuite,
  type PageOptions,
} from '../support/browser';

/** axe-core's browser build, injected into each page as it is. */
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The WCAG 2 A/AA violations axe finds on the page as it stands (every impact). */
async function violations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const found = await page.evaluate(async () => {
    const { axe } = globalThis as unknown as {
      axe: { run(options: object): Promise<{ violations: unknown[] }> };
    };
    const result = await axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
    return result.violations;
  });
  return (found as { id: string; help: string; nodes: { target: string[] }[] }[]).map(
    (v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

const { nl, en } = TEXTS;
const DUTCH_MONTH = '(jan|feb|mrt|apr|mei|jun|jul|aug|sep|okt|nov|dec)';

const tab = (page: Page, name: string) => page.getByRole('tab', { name, exact: true });
const list = (page: Page, name: string) => page.getByRole('list', { name, exact: true });
/** The references of the rows a list shows, in order. */
const references = (page: Page, name: string) =>
  list(page, name).locator('.row-reference').allInnerTexts();

/** Whether the page scrolls sideways (the document is wider than the window). */
const scrollsSideways = (page: Page) =>
  page.evaluate(() => {
    // Runs in the page: `globalThis` there is the browser's window.
    const view = globalThis as unknown as {
      innerWidth: number;
      document: { scrollingElement: { scrollWidth: number } };
    };
    return view.document.scrollingElement.scrollWidth > view.innerWidth;
  });

/**
 * The inbox at real volume (issue 14): 320 conversations of a busy day, in real Chromium at a
 * desktop and a phone, a Dutch UI in an English (en-US) browser.
 */
describe('the inbox on a busy day', () => {
  const suite = useBrowserSuite('inbox');
  let day: BusyDay;
  /** The reference the web app shows for a conversation ("ED-123", API.md). */
  const referenceOf = (conversation: { number: number }) =>
    new RegExp(`${day.organisation.slug.toUpperCase()}-${conversation.number}(?!\\d)`);

  beforeAll(async () => {
    day = await seedBusyDay(suite.db, { conversations: 320 });
  }, 60_000);

  /** Signed in as `email` at `size`, with an en-US browser; the UI's language is the app's. */
  async function openAs(email: string, size: PageOptions, path: string) {
    const page = await suite.newPage({ ...size, locale: 'en-US' });
    await signIn(page, email);
    await page.goto(path);
    return page;
  }

  it('desktop: every tab clickable with the mouse at any length, Dutch dates under an en-US browser, axe clean', async () => {
    // Agents see their own waiting conversations: agent B. has some in every list.
    const agent = day.agents[1]!;
    const page = await openAs(agent.email, DESKTOP, '/inbox?tab=unassigned');
    await list(page, nl.inbox.tab.unassigned).getByRole('link').nth(19).waitFor();

    // The tab row keeps its height however long the list (it collapsed to 1 px from 6 rows).
    const tabRow = await page.getByRole('tablist', { name: nl.inbox.tabs }).boundingBox();
    expect(tabRow!.height).toBeGreaterThan(30);
    // Each tab shows what it lists for this agent (GET /api/conversations/counts).
    const expected = {
      mine: day.byStatus.assigned.filter((c) => c.assigneeId === agent.id).length,
      unassigned: day.byStatus.unassigned.length,
      waiting: day.byStatus.waiting.filter((c) => c.assigneeId === agent.id).length,
      closed: day.byStatus.closed.length,
    };
    for (const name of ['mine', 'unassigned', 'waiting', 'closed'] as const) {
      const count = tab(page, nl.inbox.tab[name]).locator('.tab-count');
      await count.waitFor();
      expect(await count.innerText()).toBe(String(expected[name]));
    }

    let before = await references(page, nl.inbox.tab.unassigned);
    for (const name of ['waiting', 'closed', 'mine', 'unassigned'] as const) {
      await tab(page, nl.inbox.tab[name]).click(); // a real mouse click at the tab's centre
      await page
        .getByRole('tab', { name: nl.inbox.tab[name], exact: true, selected: true })
        .waitFor();
      await list(page, nl.inbox.tab[name]).getByRole('link').first().waitFor();
      const now = await references(page, nl.inbox.tab[name]);
      expect(now).not.toEqual(before);
      before = now;
    }

    // The list scrolls on its own: the tabs stay where they were.
    const scroller = page.locator('.inbox-scroll');
    await scroller.evaluate((element) => element.scrollTo(0, element.scrollHeight));
    expect((await page.getByRole('tablist').boundingBox())!.y).toBe(tabRow!.y);
    expect(await scrollsSideways(page)).toBe(false);

    // Dates and durations in Dutch although the browser speaks en-US.
    const moments = await list(page, nl.inbox.tab.unassigned)
      .locator('time')
      .evaluateAll((times) => times.map((time) => time.getAttribute('title') ?? ''));
    expect(moments.length).toBeGreaterThan(20);
    for (const moment of moments)
      expect(moment).toMatch(new RegExp(`^\\d{1,2} ${DUTCH_MONTH} \\d{4}, \\d{2}:\\d{2}$`));
    const shown = await list(page, nl.inbox.tab.unassigned).locator('time').allInnerTexts();
    for (const text of shown)
      expect(text).toMatch(new RegExp(`^(\\d{2}:\\d{2}|\\d{1,2} ${DUTCH_MONTH})$`));
    const clocks = await list(page, nl.inbox.tab.unassigned).locator('.sla').allInnerTexts();
    for (const clock of clocks)
      expect(clock).toMatch(/^(nog \d+ (min|u|d)|\d+ (min|u|d) te laat)$/);
    // Days-old work reads in days ("3 d te laat"), not thousands of hours.
    expect(clocks.some((clock) => /^\d+ d te laat$/.test(clock))).toBe(true);

    expect(await violations(page)).toEqual([]);
    await scroller.evaluate((element) => element.scrollTo(0, 0));
    await screenshot(page, 'inbox-desktop-nl');
    await page.getByRole('button', { name: 'English' }).click();
    await tab(page, en.inbox.tab.unassigned).waitFor();
    await screenshot(page, 'inbox-desktop-en');
  });

  it('sorting by SLA or by newest is chosen by the user and survives a reload; new work is marked until opened', async () => {
    const agent = day.agents[0]!;
    const page = await openAs(agent.email, DESKTOP, '/inbox?tab=unassigned');
    const queue = list(page, nl.inbox.tab.unassigned);
    await queue.getByRole('link').nth(19).waitFor();
    // First use: nothing is new yet (a whole day of work is not "new").
    expect(await queue.locator('.row-new').count()).toBe(0);

    const newest = page.getByRole('button', { name: nl.inbox.sort.newest });
    await newest.click();
    // The newest activity comes first (it is among the last by SLA).
    const first = day.byStatus.unassigned[0]!;
    const firstRow = queue.getByRole('link').first();
    await firstRow.filter({ hasText: referenceOf(first) }).waitFor();
    await page.reload();
    await firstRow.filter({ hasText: referenceOf(first) }).waitFor();
    expect(await newest.getAttribute('aria-pressed')).toBe('true');

    // A conversation with a message after this user's first use is new, until opened.
    const fresh = day.byStatus.unassigned[5]!;
    await suite.db.query(
      `UPDATE conversations SET last_message_at = now() + interval '1 second' WHERE id = $1`,
      [fresh.id],
    );
    await page.reload();
    const row = queue.getByRole('link').filter({ hasText: referenceOf(fresh) });
    await row.locator('.row-new').waitFor();
    expect(await queue.locator('.row-new').count()).toBe(1);
    await row.click();
    await page.getByRole('heading', { level: 2, name: new RegExp(fresh.customerHandle) }).waitFor();
    await row.locator('.row-new').waitFor({ state: 'detached' });
    await page.reload();
    await queue.getByRole('link').first().waitFor();
    expect(await queue.locator('.row-new').count()).toBe(0);
  });

  it('phone: compact header, tabs clickable, no sideways scroll, list then detail with a back button and the composer in reach, axe clean', async () => {
    const agent = day.agents[3]!;
    const page = await openAs(agent.email, PHONE, '/inbox?tab=unassigned');
    await list(page, nl.inbox.tab.unassigned).getByRole('link').nth(9).waitFor();

    const header = await page.locator('.app-header').boundingBox();
    expect(header!.height).toBeLessThan(64);
    expect(await scrollsSideways(page)).toBe(false);
    // A touch screen has no keys to hint at.
    expect(await page.locator('.shortcuts-hint').isVisible()).toBe(false);

    let before = await references(page, nl.inbox.tab.unassigned);
    for (const name of ['waiting', 'closed', 'mine'] as const) {
      await tab(page, nl.inbox.tab[name]).click();
      await list(page, nl.inbox.tab[name]).getByRole('link').first().waitFor();
      const now = await references(page, nl.inbox.tab[name]);
      expect(now).not.toEqual(before);
      before = now;
      expect(await scrollsSideways(page)).toBe(false);
    }
    expect(await violations(page)).toEqual([]);
    await screenshot(page, 'inbox-phone-nl');

    // "Mine" (the last tab opened): open the first, alone on the screen, with a way back.
    const mine = list(page, nl.inbox.tab.mine);
    const reference = (await mine.locator('.row-reference').first().innerText()).trim();
    await mine.getByRole('link').first().click();
    const back = page.getByRole('link', { name: nl.inbox.back });
    await back.waitFor();
    expect(await mine.isVisible()).toBe(false);
    await page.getByRole('heading', { level: 2 }).first().waitFor();
    expect(
      await page.locator('.inbox-detail').getByText(reference, { exact: true }).isVisible(),
    ).toBe(true);
    const composer = page.locator('.composer');
    await composer.waitFor();
    await page.getByRole('button', { name: nl.composer.send, exact: true }).waitFor();
    const box = await composer.boundingBox();
    expect(box!.y).toBeLessThan(844);
    expect(box!.y + Math.min(box!.height, 120)).toBeLessThanOrEqual(844);
    // The customer's message can be read: wholly in the window, above the composer (one line
    // while not in use), not under it.
    expect(box!.height).toBeLessThan(80);
    const message = await page.locator('.inbox-detail .message-inbound').last().boundingBox();
    expect(message!.y).toBeGreaterThanOrEqual(0);
    expect(message!.y + message!.height).toBeLessThanOrEqual(box!.y);
    expect(await scrollsSideways(page)).toBe(false);
    expect(await violations(page)).toEqual([]);
    await screenshot(page, 'inbox-phone-conversation');

    await back.click();
    await mine.getByRole('link').first().waitFor();
    expect(await page.locator('.inbox-detail').isVisible()).toBe(false);

    await page.getByRole('button', { name: 'English' }).click();
    await tab(page, en.inbox.tab.mine).waitFor();
    await tab(page, en.inbox.tab.unassigned).click();
    await list(page, en.inbox.tab.unassigned).getByRole('link').nth(5).waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    await screenshot(page, 'inbox-phone-en');
  });

  it('one phone breakpoint: at 768 px the inbox takes turns and the board shows tabs; at 900 px both side by side', async () => {
    const lead = day.teamLead;
    const open = day.byStatus.unassigned[0]!;
    for (const [width, phone] of [
      [768, true],
      [769, false],
      [900, false],
    ] as const) {
      const page = await openAs(
        lead.email,
        { viewport: { width, height: 800 } },
        `/inbox/${open.id}?tab=unassigned`,
      );
      await page
        .getByRole('heading', { level: 2, name: new RegExp(open.customerHandle) })
        .waitFor();
      const queue = list(page, nl.inbox.tab.unassigned);
      if (!phone) await queue.getByRole('link').first().waitFor();
      // A phone shows the conversation alone, with a way back; wider, the list beside it.
      expect({ width, list: await queue.isVisible() }).toEqual({ width, list: !phone });
      expect({
        width,
        back: await page.getByRole('link', { name: nl.inbox.back }).isVisible(),
      }).toEqual({ width, back: phone });
      if (!phone) {
        const [listBox, detailBox] = await Promise.all([
          page.locator('.inbox-list').boundingBox(),
          page.locator('.inbox-detail').boundingBox(),
        ]);
        expect({ width, sideBySide: listBox!.x + listBox!.width <= detailBox!.x + 1 }).toEqual({
          width,
          sideBySide: true,
        });
      }
      await page.goto('/board');
      await page.locator('.board h1').waitFor();
      expect({ width, tabs: await page.locator('.board').getByRole('tablist').count() }).toEqual({
        width,
        tabs: phone ? 1 : 0,
      });
      await page.context().close();
    }
  });

  it('desktop: the inbox with a conversation and its composer (the README’s picture)', async () => {
    const agent = day.agents[5]!;
    const mine = day.byStatus.assigned.find((c) => c.assigneeId === agent.id)!;
    const page = await openAs(agent.email, DESKTOP, `/inbox/${mine.id}?tab=mine`);
    await page.locator('.composer').waitFor();
    await list(page, nl.inbox.tab.mine).getByRole('link').first().waitFor();
    expect(await violations(page)).toEqual([]);
    await screenshot(page, 'inbox-composer');
  });
});
