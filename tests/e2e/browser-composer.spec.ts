import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { DESKTOP, PHONE, screenshot, signIn, TEXTS, useBrowserSuite } from '../support/browser';
import { seedBusyDay, type BusyDay } from '../support/busy-day';
import { newInboundMessage, newReply, newTemplate } from '../support/factories';

const { nl } = TEXTS;

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
  await page.evaluate(AXE);
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

/** What the checks read of the page's window (typed here: the tests compile without the DOM's types). */
interface PageWindow {
  innerHeight: number;
  innerWidth: number;
  document: {
    activeElement: { hasAttribute(name: string): boolean } | null;
    scrollingElement: { scrollWidth: number };
  };
}

/** Whether the element lies wholly inside the window (what a person sees without scrolling). */
const inView = (page: Page, selector: string) =>
  page
    .locator(selector)
    .first()
    .evaluate(
      (element: { getBoundingClientRect(): { top: number; bottom: number; height: number } }) => {
        const box = element.getBoundingClientRect();
        const { innerHeight } = globalThis as unknown as PageWindow;
        // A pixel of rounding either way.
        return box.top >= -1 && box.bottom <= innerHeight + 1 && box.height > 0;
      },
    );

/** Whether the page scrolls sideways (the document is wider than the window). */
const sideways = (page: Page) =>
  page.evaluate(() => {
    const view = globalThis as unknown as PageWindow;
    return view.document.scrollingElement.scrollWidth > view.innerWidth;
  });

/** Whether the focus is on what `r` focuses. */
const composerFocused = (page: Page) =>
  page.waitForFunction(() =>
    (globalThis as unknown as PageWindow).document.activeElement?.hasAttribute(
      'data-composer-focus',
    ),
  );

/**
 * The conversation pane and the composer on a real day (issue 14): a long thread in an
 * organisation of 320 conversations at the pioneer level, at 1440 and at 390 px. The header
 * stays in view while the thread scrolls, "Antwoorden" takes the agent to the template search,
 * the picker is usable with the keyboard, and axe finds nothing with the picker open.
 */
describe('the composer on a long thread', () => {
  const suite = useBrowserSuite('composer');
  let day: BusyDay;
  let conversationId: string;

  beforeAll(async () => {
    day = await seedBusyDay(suite.db, {
      conversations: 320,
      organisation: { maturityLevel: 1 },
    });
    const agent = day.agents[0]!;
    const conversation = day.byStatus.assigned.find((c) => c.assigneeId === agent.id)!;
    conversationId = conversation.id;
    // A long back and forth: thirty more messages, some of them long.
    for (let index = 0; index < 30; index += 1) {
      await newInboundMessage(suite.db, conversation, {
        externalId: `composer-long-${index}`,
        text:
          index % 5 === 4
            ? 'Ik heb de meterstanden van de afgelopen maanden erbij gezocht en ze komen niet overeen met wat op de jaarafrekening staat. '.repeat(
                3,
              )
            : `Nog een vraag (${index + 1}): hoe zit het met de termijnbedragen?`,
        createdAt: new Date(Date.now() - (40 - index) * 60_000),
      });
    }
    await newReply(suite.db, conversation, agent, {
      text: 'Dank voor uw geduld. We kijken het voor u na. ^AA',
      status: 'queued',
    });
    await newReply(suite.db, conversation, agent, {
      text: 'Dank voor uw bericht. ^AA',
      status: 'failed',
      error: 'Het kanaal weigerde het bericht.',
    });
    await newTemplate(suite.db, day.organisation, {
      name: 'Storing: we kijken ernaar',
      body: 'Dank voor uw melding, {{customer.name}}. Er is een storing bekend; we houden u op de hoogte. ^{{agent.initials}}',
    });
    await newTemplate(suite.db, day.organisation, {
      name: 'Factuur nagaan',
      body: 'Dank voor uw bericht. We kijken factuur {{input.factuur}} voor u na. ^{{agent.initials}}',
    });
    await newTemplate(suite.db, day.organisation, {
      name: 'Verhuizing doorgeven',
      body: 'Wat vervelend dat uw verhuizing nog niet goed verwerkt is. Stuur ons uw klantnummer in een privébericht, dan zoeken we het vandaag nog uit. ^{{agent.initials}}',
    });
  }, 120_000);

  const openConversation = async (page: Page) => {
    await signIn(page, day.agents[0]!.email);
    await page.goto(`/inbox/${conversationId}?tab=mine`);
    await page.getByText('Nog een vraag (29)', { exact: false }).waitFor();
  };

  const composer = (page: Page) =>
    page.getByRole('region', { name: nl.composer.title, exact: true });

  it('at 1440: the header stays, Antwoorden reaches the template search, the picker works by keyboard, axe 0', async () => {
    const page = await suite.newPage({ ...DESKTOP });
    await openConversation(page);

    // Scrolled to the oldest message, the header with the actions is still in view.
    await page.getByText('Nog een vraag (1)', { exact: false }).scrollIntoViewIfNeeded();
    expect(await inView(page, '.conversation-header')).toBe(true);
    // The composer is ready (the policy read) before "Antwoorden" has somewhere to go.
    await composer(page)
      .getByRole('combobox', { name: nl.composer.search })
      .waitFor({ state: 'attached' });
    const reply = page.getByRole('button', { name: nl.conversation.reply, exact: true });
    expect(await reply.getAttribute('class')).toContain('button-primary');
    await reply.click();

    const search = composer(page).getByRole('combobox', { name: nl.composer.search });
    await composerFocused(page);
    expect(await search.getAttribute('data-composer-focus')).toBe('');
    expect(await inView(page, '[data-composer-focus]')).toBe(true);

    // The list opens on focus with every template filled in; the preview shows the one pointed at.
    const options = composer(page)
      .getByRole('listbox', { name: nl.composer.templates })
      .getByRole('option');
    await options.first().waitFor();
    expect(await options.count()).toBe(3);
    await page.keyboard.press('ArrowDown');
    const preview = composer(page).getByRole('region', { name: nl.composer.templatePreview });
    await preview.waitFor();
    expect(await inView(page, '.template-preview')).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'conversation-composer');

    // Typing filters; Enter takes the one pointed at.
    await page.keyboard.type('factuur');
    expect(await options.count()).toBe(1);
    await preview.getByText('We kijken factuur [factuur] voor u na.', { exact: false }).waitFor();
    await page.keyboard.press('Enter');
    await composer(page)
      .getByText(nl.composer.chosen.replace('{{name}}', 'Factuur nagaan'))
      .waitFor();
    await composer(page)
      .getByLabel(nl.composer.slot.replace('{{name}}', 'factuur'))
      .fill('F-2026-118');
    const text = composer(page).getByLabel(nl.composer.preview, { exact: true });
    expect(await text.inputValue()).toContain('We kijken factuur F-2026-118 voor u na.');

    // The delivery state of our replies: queued, and failed with the reason.
    const onTheirWay = page.getByRole('list', { name: nl.conversation.replies });
    await onTheirWay.getByText(nl.conversation.delivery.queued).waitFor();
    await onTheirWay.getByText('Het kanaal weigerde het bericht.', { exact: false }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    expect(suite.pageErrors).toEqual([]);
  }, 90_000);

  it('at 390: nothing scrolls sideways, Antwoorden brings the search into view, the picker works by touch, axe 0', async () => {
    const page = await suite.newPage({ ...PHONE });
    await openConversation(page);
    const search = composer(page).getByRole('combobox', { name: nl.composer.search });
    await search.waitFor({ state: 'attached' });
    const send = composer(page).getByRole('button', { name: nl.composer.send, exact: true });
    await send.waitFor();

    // Not in use, the composer is one line at the bottom: the search and the send button.
    const bar = (await composer(page).boundingBox())!;
    expect(bar.height).toBeLessThan(80);
    expect(bar.y + bar.height).toBeLessThanOrEqual(844);
    // The customer's last message, brought into view, lies wholly above it.
    const last = page.locator('.message-inbound').last();
    await last.evaluate((element: { scrollIntoView(options: object): void }) =>
      element.scrollIntoView({ block: 'end' }),
    );
    const message = (await last.boundingBox())!;
    const barNow = (await composer(page).boundingBox())!;
    expect(message.y).toBeGreaterThanOrEqual(0);
    expect(message.y + message.height).toBeLessThanOrEqual(barNow.y);
    expect(await sideways(page)).toBe(false);

    // A tap opens it, within the window, the send button in reach.
    await search.tap();
    await composer(page).locator('.template-popup:not([hidden])').waitFor();
    expect(await composer(page).getAttribute('class')).toBe('composer');
    const open = (await composer(page).boundingBox())!;
    expect(open.height).toBeGreaterThan(bar.height);
    expect(open.y).toBeGreaterThanOrEqual(0);
    expect(open.y + open.height).toBeLessThanOrEqual(844 + 1);
    await send.scrollIntoViewIfNeeded();
    expect(await inView(page, '.composer-actions')).toBe(true);
    expect(await sideways(page)).toBe(false);
    // Left empty, it is one line again.
    await page.getByRole('heading', { level: 2 }).first().tap();
    await page.locator('.composer.composer-compact').waitFor();

    await page.getByRole('button', { name: nl.conversation.reply, exact: true }).tap();
    await composerFocused(page);
    expect(await inView(page, '[data-composer-focus]')).toBe(true);

    await search.fill('storing');
    const option = composer(page)
      .getByRole('listbox', { name: nl.composer.templates })
      .getByRole('option')
      .filter({ hasText: 'Storing: we kijken ernaar' });
    await option.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await option.tap();
    await composer(page)
      .getByText(nl.composer.chosen.replace('{{name}}', 'Storing: we kijken ernaar'))
      .waitFor();
    expect(await sideways(page)).toBe(false);
    await composer(page).getByText(nl.composer.clean, { exact: true }).waitFor();
    await send.scrollIntoViewIfNeeded();
    expect(await send.isEnabled()).toBe(true);
    expect(await inView(page, '.composer-actions')).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    expect(suite.pageErrors).toEqual([]);
  }, 90_000);
});
