/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import { ConversationEntity, type UserEntity } from '@toonbank/database';
import type { ConversationDto, ReplyDto } from '@toonbank/shared';
import type { Locator, Page } from 'playwright-core';
import {
  DESKTOP,
  PHONE,
  screenshot,
  signIn,
  TEXTS,
  useBrowserSuite,
  VIEWPORT,
  type PageOptions,
} from '../support/browser';
import { seedBusyDay, type BusyDay } from '../support/busy-day';
import { newUser, TEST_PASSWORD } from '../support/factories';

/* eslint-disable @typescript-eslint/no-require-imports */
const { waitFor } = require('../../scripts/lib/services.cjs') as {
  /** Resolves with the first truthy answer of `check`; fails after `timeoutMs` saying `what`. */
  waitFor: <T>(
    check: () => Promise<T | undefined | false>,
    options: { timeoutMs: number; what?: string },
  ) => Promise<T>;
};

/** axe-core's browser build, injected into each page as it is. */
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const { nl } = TEXTS;
/** A scenario signs in, loads a board of a hundred cards and drags several: more than 30 s. */
const SCENARIO_MS = 120_000;

/** Every WCAG 2 A/AA violation axe finds on the page as it stands (any impact). */
async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const { axe } = globalThis as unknown as {
      axe: { run(options: object): Promise<{ violations: unknown[] }> };
    };
    const result = await axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
    return result.violations;
  });
  return (
    violations as { id: string; impact: string; help: string; nodes: { target: string[] }[] }[]
  ).map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

/**
 * What overlaps on the board as it is shown: columns with each other, any two cards, a card
 * and the column it is not in, a card's parts (head, SLA clock, preview, menu) with each other
 * or outside their card; a queue card without a visible SLA clock; a preview wider than its card.
 * Only what is rendered counts (a hidden tab panel has no boxes).
 */
function boardOverlaps(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    type Box = { left: number; right: number; top: number; bottom: number };
    const EPS = 0.5;
    const shown = (e: Element) => {
      const r = e.getBoundingClientRect();
      return r.width > 0 && r.height > 0;
    };
    const box = (e: Element): Box => e.getBoundingClientRect();
    const hit = (a: Box, b: Box) =>
      a.left < b.right - EPS &&
      b.left < a.right - EPS &&
      a.top < b.bottom - EPS &&
      b.top < a.bottom - EPS;
    const inside = (inner: Box, outer: Box) =>
      inner.left >= outer.left - EPS &&
      inner.right <= outer.right + EPS &&
      inner.top >= outer.top - EPS &&
      inner.bottom <= outer.bottom + EPS;
    const name = (e: Element) =>
      `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}${
        e.getAttribute('data-conversation-id') ? `[${e.getAttribute('data-conversation-id')}]` : ''
      }`;
    const problems: string[] = [];
    const board = document.querySelector('.board');
    if (!board) return ['no board'];
    if (board.scrollWidth > board.clientWidth + 1)
      problems.push(`the board is ${board.scrollWidth - board.clientWidth}px wider than its place`);
    const tabs = [...document.querySelectorAll('.board [role="tab"]')].filter(shown);
    tabs.forEach((a, i) => {
      if (!inside(box(a), box(board))) problems.push(`tab ${a.textContent} runs out of the board`);
      if (a.scrollWidth > a.clientWidth + 1) problems.push(`tab ${a.textContent} is cut off`);
      for (const b of tabs.slice(i + 1))
        if (hit(box(a), box(b)))
          problems.push(`tabs ${a.textContent} and ${b.textContent} overlap`);
    });
    const columns = [...document.querySelectorAll('.board section.board-section')].filter(shown);
    if (columns.length === 0) problems.push('no column is shown');
    columns.forEach((a, i) =>
      columns.slice(i + 1).forEach((b) => {
        if (hit(box(a), box(b))) problems.push(`columns ${name(a)} and ${name(b)} overlap`);
      }),
    );
    const cards = [...document.querySelectorAll('.board .board-card')].filter(shown);
    cards.forEach((a, i) => {
      const column = a.closest('section.board-section');
      const own = column ? box(column) : null;
      if (!own || box(a).left < own.left - EPS || box(a).right > own.right + EPS)
        problems.push(`card ${name(a)} leaves its column sideways`);
      for (const b of cards.slice(i + 1))
        if (hit(box(a), box(b))) problems.push(`cards ${name(a)} and ${name(b)} overlap`);
      const parts = [...a.children].filter(shown);
      parts.forEach((p, j) => {
        if (!inside(box(p), box(a))) problems.push(`${name(p)} runs out of ${name(a)}`);
        for (const q of parts.slice(j + 1))
          if (hit(box(p), box(q))) problems.push(`${name(p)} and ${name(q)} overlap in ${name(a)}`);
      });
      if (a.classList.contains('queue-item')) {
        const sla = a.querySelector('.sla');
        if (!sla || !shown(sla)) problems.push(`${name(a)} shows no SLA clock`);
        const preview = a.querySelector('.board-card-preview');
        if (preview && preview.scrollWidth > preview.clientWidth + 1)
          problems.push(`the preview of ${name(a)} is wider than its card`);
      }
    });
    return problems;
  });
}

/** Whether the page scrolls sideways. */
const scrollsSideways = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);

describe('the board at real volume (issue 14)', () => {
  const suite = useBrowserSuite('board');
  let day: BusyDay;
  /** Room for every drag of the scenarios (first in the team column: "Aaron..." sorts first). */
  let roomy: UserEntity;
  const open: Page[] = [];
  afterEach(async () => {
    for (const page of open.splice(0)) await page.context().close();
    expect(suite.pageErrors.splice(0)).toEqual([]);
  });

  beforeAll(async () => {
    // Manual routing: nothing but the scenarios moves a conversation.
    day = await seedBusyDay(suite.db, { organisation: { routingStrategy: 'manual' } });
    roomy = await newUser(suite.db, day.organisation, {
      role: 'agent',
      name: 'Aaron Bakker',
      capacity: 400,
      languages: ['nl', 'en'],
    });
  }, 60_000);

  const tokenOf = async (user: UserEntity) => {
    const response = await fetch(`${suite.stack.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: user.email, password: TEST_PASSWORD }),
    });
    if (!response.ok) throw new Error(`Signing in ${user.email} answered ${response.status}`);
    return ((await response.json()) as { accessToken: string }).accessToken;
  };
  const call = async <T>(token: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${suite.stack.url}/api${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} /api${path} answered ${response.status}: ${text}`);
    return JSON.parse(text) as T;
  };

  /** Status and assignee of every conversation of the day, by id (what "no other changed" compares). */
  const stateOfTheDay = async () =>
    new Map(
      (
        await suite.db.getRepository(ConversationEntity).find({
          where: { organisationId: day.organisation.id },
          select: { id: true, status: true, assigneeId: true },
        })
      ).map((c) => [c.id, `${c.status}:${c.assigneeId ?? '-'}`]),
    );
  const assigneeOf = async (id: string) =>
    (await suite.db.getRepository(ConversationEntity).findOneByOrFail({ id })).assigneeId;

  /** The team lead's board, loaded with at least 100 queue cards and the live link up. */
  const openBoard = async (options: PageOptions = DESKTOP) => {
    const page = await suite.newPage(options);
    open.push(page);
    await signIn(page, day.teamLead.email);
    await page.goto('/board');
    await page.getByRole('banner').getByText(nl.live.connected, { exact: true }).waitFor();
    return page;
  };
  const queueOf = (page: Page) => page.getByRole('region', { name: nl.board.queue.title });
  const cardOf = (page: Page, id: string) =>
    queueOf(page).locator(`[data-conversation-id="${id}"]`);
  const personOf = (page: Page, user: { id: string }) =>
    page.getByRole('region', { name: nl.board.team.title }).locator(`[data-user-id="${user.id}"]`);
  /** The ids of the queue's cards, top to bottom, once it shows at least `atLeast`. */
  const queueIds = async (page: Page, atLeast = 100) => {
    await queueOf(page)
      .locator('[data-conversation-id]')
      .nth(atLeast - 1)
      .waitFor();
    return queueOf(page)
      .locator('[data-conversation-id]')
      .evaluateAll((cards) => cards.map((c) => c.getAttribute('data-conversation-id') as string));
  };

  /**
   * Drags `source` onto `target` with the mouse, as a person does: pressed on the card's
   * preview, a few steps, `during` run while the card is held (live changes meanwhile), then
   * over the target — which must be in the viewport without scrolling (the sticky team column).
   */
  const drag = async (
    page: Page,
    source: Locator,
    target: Locator,
    during?: () => Promise<void>,
  ) => {
    await target.scrollIntoViewIfNeeded();
    await source.scrollIntoViewIfNeeded();
    const grip = await source.locator('.board-card-preview').boundingBox();
    if (!grip) throw new Error('The card to drag has no box');
    const from = { x: grip.x + grip.width / 2, y: grip.y + grip.height / 2 };
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(from.x + 12, from.y + 6, { steps: 3 });
    if (during) await during();
    const to = await target.boundingBox();
    const viewport = page.viewportSize();
    if (!to || !viewport) throw new Error('The drop target has no box');
    // Reachable where the drag is: no drag to the window's edge needed.
    expect(to.y).toBeGreaterThanOrEqual(0);
    expect(to.y + to.height).toBeLessThanOrEqual(viewport.height);
    await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 6 });
    await page.mouse.up();
  };

  it(
    'never overlaps itself at 1280 and 1440 px, has no sideways scroll at 390 px, and axe finds nothing at either width',
    async () => {
      for (const [width, options] of [
        [1024, { viewport: { width: 1024, height: 768 } }],
        [1280, { viewport: VIEWPORT }],
        [1440, DESKTOP],
      ] as const) {
        const page = await openBoard(options);
        await queueIds(page);
        expect({ width, overlaps: await boardOverlaps(page) }).toEqual({ width, overlaps: [] });
        expect(await scrollsSideways(page)).toBe(false);
        // Scrolled to the bottom of the queue, the team column is still in view (sticky).
        await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
        const team = await page.getByRole('region', { name: nl.board.team.title }).boundingBox();
        const scrolled = await page.evaluate(() => window.scrollY);
        const height = page.viewportSize()!.height;
        // In view from top to bottom (to the pixel: the boxes are fractional).
        expect({
          width,
          scrolled: scrolled > height,
          inView: !!team && team.y >= -1 && team.y + team.height <= height + 1,
        }).toEqual({ width, scrolled: true, inView: true });
        expect({ width, overlaps: await boardOverlaps(page) }).toEqual({ width, overlaps: [] });
        await page.evaluate(() => window.scrollTo(0, 0));
        if (width === 1440) {
          expect(await axeViolations(page)).toEqual([]);
          await screenshot(page, 'board-1440');
        }
      }

      const phone = await openBoard({ ...PHONE });
      await queueIds(phone);
      for (const tab of [nl.board.tab.queue, nl.board.tab.approvals, nl.board.tab.team]) {
        await phone.getByRole('tab', { name: new RegExp(`^${tab}`) }).click();
        expect({ tab, overlaps: await boardOverlaps(phone) }).toEqual({ tab, overlaps: [] });
        expect({ tab, sideways: await scrollsSideways(phone) }).toEqual({ tab, sideways: false });
        expect({ tab, axe: await axeViolations(phone) }).toEqual({ tab, axe: [] });
      }
      await phone.getByRole('tab', { name: new RegExp(`^${nl.board.tab.queue}`) }).click();
      await screenshot(phone, 'board-390');
    },
    SCENARIO_MS,
  );

  it(
    'a drag in a board of 100 cards assigns exactly the dragged one, low in the list, back to back, and while live changes arrive',
    async () => {
      const page = await openBoard();
      const ids = await queueIds(page);
      expect(ids.length).toBeGreaterThanOrEqual(100);
      const before = await stateOfTheDay();
      const expected = new Map(before);
      const target = personOf(page, roomy);

      // Low in the list, one after the other without waiting for the server in between.
      for (const index of [97, 96, 60, 3]) {
        const id = ids[index];
        await drag(page, cardOf(page, id), target);
        expected.set(id, `assigned:${roomy.id}`);
      }
      for (const index of [97, 96, 60, 3])
        await waitFor(async () => (await assigneeOf(ids[index])) === roomy.id, {
          timeoutMs: 10_000,
          what: `conversation #${index} of the queue to be assigned to the drop target`,
        });

      // A colleague assigns the top card while a card far below it is being dragged: the
      // list holds still (the top card stays, marked taken), the drop moves the card dragged.
      const shown = await queueIds(page, 90);
      const [top, dragged] = [shown[0], shown[85]];
      const adminToken = await tokenOf(day.admin);
      await drag(page, cardOf(page, dragged), target, async () => {
        const at = await cardOf(page, dragged).boundingBox();
        await call<ConversationDto>(adminToken, 'POST', `/conversations/${top}/assign`, {
          userId: day.agents[0].id,
        });
        await cardOf(page, top).getByText(nl.board.queue.taken, { exact: true }).waitFor();
        expect(await cardOf(page, dragged).boundingBox()).toEqual(at);
      });
      expected.set(top, `assigned:${day.agents[0].id}`);
      expected.set(dragged, `assigned:${roomy.id}`);
      await waitFor(async () => (await assigneeOf(dragged)) === roomy.id, {
        timeoutMs: 10_000,
        what: 'the dragged conversation to be assigned to the drop target',
      });
      await cardOf(page, top).waitFor({ state: 'detached' });
      await cardOf(page, dragged).waitFor({ state: 'detached' });

      // Exactly those changed, nothing else.
      expect(await stateOfTheDay()).toEqual(expected);
      const load = nl.board.team.load
        .replace('{{load}}', '5')
        .replace('{{capacity}}', String(roomy.capacity));
      await target.getByText(load, { exact: true }).waitFor();
    },
    SCENARIO_MS,
  );

  it(
    'asks before an assignment past capacity, naming the person and the load, and explains a refusal',
    async () => {
      const page = await openBoard();
      const ids = await queueIds(page);
      const full = day.agents[1];
      const load = Number(
        (
          (await suite.db.query(
            `SELECT count(*) AS n FROM conversations WHERE assignee_id = $1 AND status IN ('assigned', 'waiting')`,
            [full.id],
          )) as { n: string }[]
        )[0].n,
      );
      expect(load).toBeGreaterThanOrEqual(full.capacity);
      const before = await stateOfTheDay();

      const id = ids[40];
      await drag(page, cardOf(page, id), personOf(page, full));
      const dialog = page.getByRole('dialog', {
        name: nl.board.capacity.title.replace('{{name}}', full.name),
      });
      await dialog.getByText(`${load + 1}/${full.capacity}`, { exact: false }).waitFor();
      await dialog.getByRole('button', { name: nl.common.cancel, exact: true }).click();
      await dialog.waitFor({ state: 'detached' });
      expect(await stateOfTheDay()).toEqual(before);
      await cardOf(page, id).waitFor();

      await drag(page, cardOf(page, id), personOf(page, full));
      await dialog
        .getByRole('button', {
          name: nl.board.capacity.confirm.replace('{{name}}', full.name),
          exact: true,
        })
        .click();
      await waitFor(async () => (await assigneeOf(id)) === full.id, {
        timeoutMs: 10_000,
        what: 'the confirmed assignment past capacity',
      });

      // Someone who may no longer be given work (deactivated after the board loaded): the
      // server refuses, and the board says so in its own words; the card is still there.
      const leaving = await newUser(suite.db, day.organisation, {
        role: 'agent',
        name: 'Abel Smits',
      });
      await page.reload();
      await page.getByRole('banner').getByText(nl.live.connected, { exact: true }).waitFor();
      await personOf(page, leaving).waitFor();
      await suite.db.query('UPDATE users SET active = false WHERE id = $1', [leaving.id]);
      const other = (await queueIds(page))[10];
      const reference = await cardOf(page, other).locator('.board-card-reference').innerText();
      await drag(page, cardOf(page, other), personOf(page, leaving));
      const explained = nl.board.refused.notEligible
        .replace('{{reference}}', reference)
        .replaceAll('{{name}}', leaving.name);
      await page.getByRole('alert').getByText(explained, { exact: true }).waitFor();
      await cardOf(page, other).waitFor();
      expect(await assigneeOf(other)).toBeNull();
    },
    SCENARIO_MS,
  );

  it(
    'keeps toasts in a corner of their own: never over the team column, three at most, dismissable',
    async () => {
      const page = await openBoard();
      await queueIds(page);
      // Four replies that wait for approval: the team lead is told of each.
      const officer = await newUser(suite.db, day.organisation, {
        role: 'communications',
        name: 'Noor de Wit',
        initials: 'NW',
      });
      const officerToken = await tokenOf(officer);
      const adminToken = await tokenOf(day.admin);
      const stillQueued = await suite.db.getRepository(ConversationEntity).find({
        where: { organisationId: day.organisation.id, status: 'unassigned' },
        order: { number: 'DESC' },
        take: 4,
      });
      for (const conversation of stillQueued) {
        await call(adminToken, 'POST', `/conversations/${conversation.id}/assign`, {
          userId: officer.id,
        });
        const reply = await call<ReplyDto>(
          officerToken,
          'POST',
          `/conversations/${conversation.id}/replies`,
          { text: 'Dank voor uw bericht. Wij kijken het voor u na. ^NW' },
        );
        expect(reply.status).toBe('pending_approval');
      }
      const toasts = page.getByRole('list', { name: nl.notifications.title, exact: true });
      await page
        .getByText(nl.notifications.more.replace('{{count}}', '1'), { exact: true })
        .waitFor();
      expect(await toasts.getByRole('listitem').count()).toBe(3);

      const team = await page.getByRole('region', { name: nl.board.team.title }).boundingBox();
      const region = await page.locator('.toast-region').boundingBox();
      expect(team && region).toBeTruthy();
      const apart =
        region!.x + region!.width <= team!.x ||
        team!.x + team!.width <= region!.x ||
        region!.y + region!.height <= team!.y ||
        team!.y + team!.height <= region!.y;
      expect(apart).toBe(true);

      await toasts
        .getByRole('listitem')
        .first()
        .getByRole('button', { name: nl.notifications.dismiss, exact: true })
        .click();
      await page.getByText(nl.notifications.more.replace('{{count}}', '1')).waitFor({
        state: 'detached',
      });
      await page.getByRole('button', { name: nl.notifications.dismissAll, exact: true }).click();
      await toasts.getByRole('listitem').first().waitFor({ state: 'detached' });
    },
    SCENARIO_MS,
  );
});
