import { MastodonPeer, type MastodonMentionInput } from '@toonbank/channels/testing';
import {
  ConversationEntity,
  OrganisationEntity,
  ReplyEntity,
  type UserEntity,
} from '@toonbank/database';
import type {
  ConversationDto,
  MaturityLevel,
  Page as Collection,
  ReplyDto,
} from '@toonbank/shared';
import type { Locator, Page } from 'playwright-core';
import { escapeRegExp, screenshot, signIn, TEXTS, useBrowserSuite } from '../support/browser';
import { newOrganisation, newTemplate, newUser, TEST_PASSWORD } from '../support/factories';

/* eslint-disable @typescript-eslint/no-require-imports */
const { waitFor } = require('../../scripts/lib/services.cjs') as {
  /** Resolves with the first truthy answer of `check`; fails after `timeoutMs` saying `what`. */
  waitFor: <T>(
    check: () => Promise<T | undefined | false>,
    options: { timeoutMs: number; what?: string },
  ) => Promise<T>;
};

const { nl } = TEXTS;
const MASTODON_TOKEN = 'webcare-browser-token';
/** A scenario signs in two or three people and waits for the worker: more than the global 30 s. */
const SCENARIO_MS = 90_000;

/** The customers who mention the organisation on the fake Mastodon instance (one conversation each). */
const ANA: MastodonMentionInput = {
  acct: 'ana@klant.example',
  displayName: 'Ana Jansen',
  text: 'Mijn bestelling is nog steeds niet bezorgd. Kunt u kijken waar die blijft?',
};
const BRAM: MastodonMentionInput = {
  acct: 'bram@klant.example',
  displayName: 'Bram de Boer',
  text: 'De storing in Utrecht duurt nu al twee uur. Wanneer is die voorbij?',
};
const CHRIS: MastodonMentionInput = {
  acct: 'chris@klant.example',
  displayName: 'Chris Peters',
  text: 'Is er een storing in Amersfoort? Bij ons is het licht uit.',
};

/** Fixed names, so that the screenshots read the same on every run (e-mails must stay unique). */
const NAMES = {
  admin: 'Femke Visser',
  teamLead: 'Pieter Smit',
  agent: 'Sanne de Vries',
  communications: 'Noor Bakker',
};

/**
 * ISSUE 6 end to end: the web app in real Chromium against the built api and worker, a fake
 * Mastodon instance as the channel. Each scenario has an organisation of its own, connects
 * its own fake instance through the API and lets the worker poll the customers' mentions in,
 * so the conversations are the ones the product makes, not rows written by the test.
 */
describe('webcare in the browser: inbox, composer, board, maturity, live updates', () => {
  // The fake instance answers on http://127.0.0.1, which only a non-production server accepts
  // (NODE_ENV decides nothing else in the built apps but the checks of the configuration).
  const suite = useBrowserSuite('webcare', {
    NODE_ENV: 'test',
    CHANNEL_ALLOW_INSECURE_URLS: 'true',
  });
  const peers: MastodonPeer[] = [];
  /** The pages of the running scenario: closed after it, so that no socket of theirs lives on. */
  const open: Page[] = [];
  afterEach(async () => {
    for (const page of open.splice(0)) await page.context().close();
    // No scenario may leave an uncaught error in any of its pages.
    expect(suite.pageErrors.splice(0)).toEqual([]);
  });
  afterAll(async () => {
    for (const peer of peers) await peer.close();
  });

  /** The API as a signed-in user calls it (setup and checks the scenario does not click through). */
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
  const tokenOf = async (user: UserEntity) => {
    const response = await fetch(`${suite.stack.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: user.email, password: TEST_PASSWORD }),
    });
    if (!response.ok) throw new Error(`Signing in ${user.email} answered ${response.status}`);
    return ((await response.json()) as { accessToken: string }).accessToken;
  };

  /**
   * An organisation at `level` with an admin, a team lead, an agent and a communications
   * officer, its own fake Mastodon instance connected through the API, and one conversation
   * per customer in `customers`, polled in by the worker (routing `manual`: they stay in the queue).
   */
  const webcare = async ({
    level,
    customers,
  }: {
    level: MaturityLevel;
    customers: MastodonMentionInput[];
  }) => {
    const { db } = suite;
    const organisation = await newOrganisation(db, {
      name: 'Stroomnet Webcare',
      maturityLevel: level,
      routingStrategy: 'manual',
    });
    const person = (role: keyof typeof NAMES) =>
      newUser(db, organisation, {
        role: role === 'teamLead' ? 'team_lead' : role,
        name: NAMES[role],
      });
    const [admin, teamLead, agent, communications] = await Promise.all([
      person('admin'),
      person('teamLead'),
      person('agent'),
      person('communications'),
    ]);
    const peer = await new MastodonPeer({
      accessToken: MASTODON_TOKEN,
      username: 'stroomnet',
      domain: 'social.stroomnet.example',
    }).start();
    peers.push(peer);
    const mentions = customers.map((customer) => peer.mention(customer));
    const adminToken = await tokenOf(admin);
    const channel = await call<{ id: string }>(adminToken, 'POST', '/channels', {
      provider: 'mastodon',
      name: 'Mastodon',
      config: { instanceUrl: peer.url, accessToken: MASTODON_TOKEN },
      // The scheduler polls once on connecting and then not for an hour: what comes in later
      // comes in through the scenario's own polls.
      pollIntervalSeconds: 3600,
    });
    /** Polls the instance now (POST /api/channels/:id/poll answers once the poll has finished). */
    const poll = () =>
      call<{ fetched: number; stored: number }>(adminToken, 'POST', `/channels/${channel.id}/poll`);
    await poll();
    const listed = await call<Collection<ConversationDto>>(
      adminToken,
      'GET',
      `/conversations?channelId=${channel.id}&status=unassigned,assigned,waiting,closed`,
    );
    expect(listed.items).toHaveLength(customers.length);
    /** The conversation of a customer, as the API shows it (with its reference). */
    const conversationOf = (customer: MastodonMentionInput) => {
      const found = listed.items.find((c) => c.customer.name === customer.displayName);
      if (!found) throw new Error(`No conversation of ${customer.displayName}`);
      return found;
    };
    return {
      organisation,
      admin,
      teamLead,
      agent,
      communications,
      peer,
      mentions,
      adminToken,
      poll,
      conversationOf,
    };
  };

  /** A browser context of its own, signed in through the login page, at `path`, with the live link up. */
  const openAs = async (user: UserEntity, path: string): Promise<Page> => {
    const page = await suite.newPage();
    open.push(page);
    await signIn(page, user.email);
    await page.goto(path);
    await page.getByRole('banner').getByText(nl.live.connected, { exact: true }).waitFor();
    return page;
  };
  /** Marks the loaded document: still marked later = no reload happened in between. */
  const markDocument = (page: Page) =>
    page.evaluate(() => {
      (globalThis as { webcareMark?: boolean }).webcareMark = true;
    });
  const stillSameDocument = (page: Page) =>
    page.evaluate(() => (globalThis as { webcareMark?: boolean }).webcareMark === true);

  const repliesOf = (conversationId: string) =>
    suite.db.getRepository(ReplyEntity).findBy({ conversationId });
  const sentReplyOf = (conversationId: string) =>
    waitFor(
      async () => (await repliesOf(conversationId)).find((reply) => reply.status === 'sent'),
      { timeoutMs: 20_000, what: 'the reply to be sent by the worker' },
    );
  /**
   * A select by its label. A label that wraps its select also lends it the chosen option's
   * text ("Sjabloon Kies een sjabloon…"), so the name is matched by how it starts.
   */
  const menuNamed = (scope: Locator, label: string) =>
    scope.getByRole('combobox', { name: new RegExp(`^${escapeRegExp(label)}( |$)`) });
  const tab = (page: Page, name: string) => page.getByRole('tab', { name, exact: true });
  const inboxList = (page: Page, name: string) => page.getByRole('list', { name, exact: true });
  const rowOf = (page: Page, listName: string, conversation: ConversationDto) =>
    inboxList(page, listName).getByRole('link').filter({ hasText: conversation.reference });

  it(
    'level 1: an agent claims an unassigned conversation and answers it from a template with a filled slot; the worker posts it',
    async () => {
      const w = await webcare({ level: 1, customers: [ANA, BRAM] });
      const template = await newTemplate(suite.db, w.organisation, {
        name: 'Bestelling zoekgeraakt',
        body: 'Dank voor uw bericht. Wij zoeken bestelling {{input.ordernummer}} direct voor u na. ^{{agent.initials}}',
      });
      const ana = w.conversationOf(ANA);
      const expectedText =
        'Dank voor uw bericht. Wij zoeken bestelling NL-20431 direct voor u na. ^SV';

      const page = await openAs(w.agent, '/inbox');
      await tab(page, nl.inbox.tab.unassigned).click();
      await rowOf(page, nl.inbox.tab.unassigned, w.conversationOf(BRAM)).waitFor();
      await rowOf(page, nl.inbox.tab.unassigned, ana).click();
      const conversation = page.getByRole('article');
      await conversation.getByText(ANA.text as string, { exact: false }).waitFor();
      // Not the agent's yet: no composer, only the invitation to claim.
      await conversation.getByText(nl.conversation.claimFirst, { exact: true }).waitFor();
      await conversation
        .getByRole('button', { name: nl.conversation.actions.claim, exact: true })
        .click();

      const composer = page.getByRole('region', { name: nl.composer.title, exact: true });
      await composer.getByText(nl.composer.policy.templateRequired, { exact: true }).waitFor();
      const assigned = nl.conversation.assignee.replace('{{name}}', w.agent.name);
      await conversation.getByText(assigned, { exact: true }).waitFor();
      // The claimed conversation leaves the queue at once.
      await rowOf(page, nl.inbox.tab.unassigned, ana).waitFor({ state: 'detached' });
      // At level 1 there is no free text: only a template opens a (read-only) text.
      expect(await composer.getByLabel(nl.composer.text, { exact: true }).count()).toBe(0);
      // The template picker: a search over the templates, each filled in as it will be sent.
      const picker = composer.getByRole('combobox', { name: nl.composer.search, exact: true });
      await picker.fill('zoekgeraakt');
      await composer
        .getByRole('listbox', { name: nl.composer.templates, exact: true })
        .getByRole('option')
        .filter({ hasText: template.name })
        .click();
      await composer.getByText(nl.composer.chosen.replace('{{name}}', template.name)).waitFor();
      const slot = composer.getByLabel(nl.composer.slot.replace('{{name}}', 'ordernummer'), {
        exact: true,
      });
      await slot.fill('NL-20431');
      const preview = composer.getByLabel(nl.composer.preview, { exact: true });
      expect(await preview.getAttribute('readonly')).not.toBeNull();
      await waitFor(async () => (await preview.inputValue()) === expectedText, {
        timeoutMs: 5_000,
        what: 'the template rendered with the slot',
      });
      await composer.getByText(nl.composer.clean, { exact: true }).waitFor();
      await composer.getByRole('button', { name: nl.composer.send, exact: true }).click();

      // The reply is queued at once and the composer is empty again ...
      const [reply] = await waitFor(
        async () => {
          const replies = await repliesOf(ana.id);
          return replies.length > 0 ? replies : undefined;
        },
        { timeoutMs: 10_000, what: 'the reply to be stored' },
      );
      expect(reply).toMatchObject({ authorId: w.agent.id, templateId: template.id });
      expect(['queued', 'sent']).toContain(reply.status);
      const chosen = composer.getByText(nl.composer.chosen.replace('{{name}}', template.name));
      await waitFor(async () => (await chosen.count()) === 0, {
        timeoutMs: 5_000,
        what: 'the composer to be reset',
      });
      // ... the worker posts it to the customer's post on the instance, once ...
      const sent = await sentReplyOf(ana.id);
      expect(w.peer.posted).toHaveLength(1);
      expect(w.peer.posted[0]).toMatchObject({
        inReplyToId: w.mentions[0].status?.id,
        status: { id: sent.externalId },
      });
      expect(w.peer.posted[0].text).toContain(expectedText);
      // ... and the conversation shows it as our answer, live.
      await page
        .getByRole('list', { name: nl.conversation.thread, exact: true })
        .getByRole('listitem')
        .filter({ hasText: nl.conversation.direction.outbound })
        .filter({ hasText: expectedText })
        .waitFor();
      await conversation.getByText(nl.status.waiting, { exact: true }).waitFor();
      const stored = await suite.db
        .getRepository(ConversationEntity)
        .findOneByOrFail({ id: ana.id });
      expect(stored).toMatchObject({ status: 'waiting', assigneeId: w.agent.id });
    },
    SCENARIO_MS,
  );

  it(
    'a team lead assigns from the board and approves a communications officer’s reply, which the worker posts',
    async () => {
      const w = await webcare({ level: 2, customers: [ANA, BRAM, CHRIS] });
      const [ana, bram, chris] = [ANA, BRAM, CHRIS].map((c) => w.conversationOf(c));
      const page = await openAs(w.teamLead, '/board');
      await page.getByRole('heading', { name: nl.nav.board, exact: true }).waitFor();
      const queue = page.getByRole('region', { name: nl.board.queue.title });
      const queueItem = (conversation: ConversationDto) =>
        queue.getByRole('listitem').filter({ hasText: conversation.reference });
      for (const conversation of [ana, bram, chris]) await queueItem(conversation).waitFor();
      await page
        .getByRole('region', { name: nl.board.approvals.title })
        .getByText(nl.board.approvals.empty, { exact: true })
        .waitFor();

      // Bram's conversation goes to the communications officer, who answers it; at level 2
      // that answer waits for a team lead. The board follows both live.
      const leadToken = await tokenOf(w.teamLead);
      await call(leadToken, 'POST', `/conversations/${bram.id}/assign`, {
        userId: w.communications.id,
      });
      await queueItem(bram).waitFor({ state: 'detached' });
      const replyText =
        'Dank voor uw geduld. De storing in Utrecht is naar verwachting om 16.00 uur verholpen. ^NB';
      const pending = await call<ReplyDto>(
        await tokenOf(w.communications),
        'POST',
        `/conversations/${bram.id}/replies`,
        { text: replyText },
      );
      expect(pending.status).toBe('pending_approval');
      const approvals = page.getByRole('region', { name: nl.board.approvals.title });
      const approval = approvals.getByRole('listitem').filter({ hasText: replyText });
      await approval.getByText(w.communications.name, { exact: true }).waitFor();
      // The team lead is told, too; the notice is put away so that it hides no part of the board.
      const notifications = page.getByRole('list', { name: nl.notifications.title, exact: true });
      const notice = notifications
        .getByRole('listitem')
        .filter({ hasText: nl.notifications.type.approval_needed });
      await notice.waitFor();
      await notice.getByRole('button', { name: nl.notifications.dismiss, exact: true }).click();
      await notice.waitFor({ state: 'detached' });

      // Ana's conversation to the agent, through the menu of its card in the queue.
      const menu = menuNamed(queue, nl.board.queue.assign.replace('{{reference}}', ana.reference));
      const option = nl.board.team.option
        .replace('{{name}}', w.agent.name)
        .replace('{{load}}', '0')
        .replace('{{capacity}}', String(w.agent.capacity));
      await menu.selectOption({ label: option });
      await queueItem(ana).waitFor({ state: 'detached' });
      const team = page.getByRole('region', { name: nl.board.team.title });
      const agentCard = team.getByRole('listitem').filter({ hasText: w.agent.name });
      await agentCard
        .getByText(
          nl.board.team.load
            .replace('{{load}}', '1')
            .replace('{{capacity}}', String(w.agent.capacity)),
          { exact: true },
        )
        .waitFor();
      // The board shows the assignment at once (the card leaves, the load counts it) and the
      // server's answer follows: wait for the stored state, not for the picture.
      await waitFor(
        async () => {
          const stored = await suite.db
            .getRepository(ConversationEntity)
            .findOneByOrFail({ id: ana.id });
          return stored.status === 'assigned' && stored.assigneeId === w.agent.id;
        },
        { timeoutMs: 10_000, what: 'the assignment from the board to be stored' },
      );
      await queueItem(chris).waitFor();
      await screenshot(page, 'board');

      await approvals
        .getByRole('button', {
          name: nl.board.approvals.approveFrom.replace('{{name}}', w.communications.name),
          exact: true,
        })
        .click();
      await approval.waitFor({ state: 'detached' });
      await approvals.getByText(nl.board.approvals.empty, { exact: true }).waitFor();
      const sent = await sentReplyOf(bram.id);
      expect(sent).toMatchObject({ id: pending.id, approvedBy: w.teamLead.id });
      expect(w.peer.posted.map((p) => p.inReplyToId)).toEqual([w.mentions[1].status?.id]);
      expect(w.peer.posted[0].text).toContain(replyText);

      // The officer's own page: one open conversation, one step up the trust ladder.
      const officer = await openAs(w.communications, '/me');
      await officer.getByRole('heading', { name: nl.nav.me, exact: true }).waitFor();
      const needed = w.organisation.approvalsToLift ?? 20;
      await officer
        .getByText(nl.me.ladder.replace('{{earned}}', '1').replace('{{needed}}', String(needed)), {
          exact: true,
        })
        .waitFor();
      await officer
        .getByText(
          nl.me.load
            .replace('{{load}}', '1')
            .replace('{{capacity}}', String(w.communications.capacity)),
          { exact: true },
        )
        .waitFor();
      expect(await officer.locator('progress').getAttribute('value')).toBe('1');
      // The page repeats the sign-in line with the e-mail address, unique per run: masked.
      await screenshot(officer, 'me', {
        mask: [officer.getByText(w.communications.email, { exact: false })],
      });
    },
    SCENARIO_MS,
  );

  it(
    'an admin raises the level from 1 to 2; the communications officer’s open inbox fills without a reload',
    async () => {
      const w = await webcare({ level: 1, customers: [ANA, BRAM] });
      const [ana, bram] = [w.conversationOf(ANA), w.conversationOf(BRAM)];

      /** The header's level badge once it shows level 2. */
      const growingBadge = (page: Page) =>
        page
          .getByRole('banner')
          .getByText(
            nl.maturity.badge
              .replace('{{level}}', '2')
              .replace('{{name}}', nl.maturity.names.growing),
            { exact: true },
          );
      const officer = await openAs(w.communications, '/inbox?tab=unassigned');
      const refusal = officer.getByRole('alert').filter({
        hasText: nl.errors.policy.not_eligible,
      });
      await refusal.waitFor();
      await markDocument(officer);

      const admin = await openAs(w.admin, '/admin');
      const steps = admin.getByRole('list', { name: nl.maturity.label, exact: true });
      const current = steps.locator('[aria-current="step"]');
      expect(await current.textContent()).toContain(nl.maturity.names.pioneer);
      await steps.getByRole('button', { name: new RegExp(nl.maturity.names.growing) }).click();
      const dialog = admin.getByRole('dialog', {
        name: nl.admin.maturity.dialogTitle
          .replace('{{from}}', nl.maturity.names.pioneer)
          .replace('{{to}}', nl.maturity.names.growing),
      });
      const gaining = dialog.getByRole('list', { name: nl.admin.maturity.gaining, exact: true });
      // Each person with their role, so the admin sees what kind of right is gained.
      const noor = `${w.communications.name} (${nl.roles.communications})`;
      await gaining.getByText(noor, { exact: true }).waitFor();
      expect(await gaining.getByRole('listitem').allTextContents()).toEqual([noor]);
      await dialog.getByText(nl.admin.maturity.nobody, { exact: true }).waitFor();
      const confirm = dialog.getByRole('button', {
        name: nl.admin.maturity.confirm
          .replace('{{level}}', '2')
          .replace('{{name}}', nl.maturity.names.growing),
        exact: true,
      });
      expect(await confirm.isDisabled()).toBe(true); // no reason, no change
      const reason = 'Het communicatieteam is getraind en beantwoordt voortaan mee.';
      await dialog.getByLabel(nl.admin.maturity.reason, { exact: true }).fill(reason);
      await screenshot(admin, 'admin-maturity');
      // Nothing has changed until the admin confirms.
      await refusal.waitFor();
      await confirm.click();
      await dialog.waitFor({ state: 'detached' });
      await growingBadge(admin).waitFor();
      expect(await current.textContent()).toContain(nl.maturity.names.growing);

      // The officer's inbox, untouched since: the refusal gives way to the queue.
      await rowOf(officer, nl.inbox.tab.unassigned, ana).waitFor();
      await rowOf(officer, nl.inbox.tab.unassigned, bram).waitFor();
      expect(await refusal.count()).toBe(0);
      await growingBadge(officer).waitFor();
      expect(await stillSameDocument(officer)).toBe(true);
      expect(
        await suite.db.getRepository(OrganisationEntity).findOneByOrFail({ id: w.organisation.id }),
      ).toMatchObject({ maturityLevel: 2 });
      const history = await call<Collection<{ from: number; to: number; reason: string }>>(
        w.adminToken,
        'GET',
        '/org/maturity/history',
      );
      expect(history.items[0]).toMatchObject({ from: 1, to: 2, reason });
    },
    SCENARIO_MS,
  );

  it(
    'a new mention polled from the channel appears in an agent’s open queue without a reload',
    async () => {
      const w = await webcare({ level: 1, customers: [ANA, BRAM] });
      const page = await openAs(w.agent, '/inbox?tab=unassigned');
      await rowOf(page, nl.inbox.tab.unassigned, w.conversationOf(ANA)).waitFor();
      await markDocument(page);

      w.peer.mention(CHRIS);
      expect(await w.poll()).toEqual({ fetched: 1, stored: 1 });
      const list = inboxList(page, nl.inbox.tab.unassigned);
      const newRow = list.getByRole('link').filter({ hasText: CHRIS.text as string });
      await newRow.waitFor();
      expect(await list.getByRole('link').count()).toBe(3);
      expect(await stillSameDocument(page)).toBe(true);

      // Opening it shows the customer's words; at level 1 the agent may claim it.
      await newRow.click();
      const conversation = page.getByRole('article');
      await conversation
        .getByRole('list', { name: nl.conversation.thread, exact: true })
        .getByText(CHRIS.text as string, { exact: false })
        .waitFor();
      await conversation
        .getByRole('button', { name: nl.conversation.actions.claim, exact: true })
        .waitFor();
      await screenshot(page, 'inbox');
    },
    SCENARIO_MS,
  );

  it(
    'two people on one conversation: the other sees who is writing, until the writer clears the text',
    async () => {
      const w = await webcare({ level: 2, customers: [ANA] });
      const ana = w.conversationOf(ANA);
      await call(await tokenOf(w.teamLead), 'POST', `/conversations/${ana.id}/assign`, {
        userId: w.agent.id,
      });
      const writer = await openAs(w.agent, `/inbox/${ana.id}?tab=mine`);
      const watcher = await openAs(w.teamLead, `/inbox/${ana.id}`);
      const collision = (page: Page) =>
        page
          .getByRole('region', { name: nl.composer.title, exact: true })
          .getByText(nl.composer.collision_one.replace('{{names}}', w.agent.name), {
            exact: true,
          });
      const composer = writer.getByRole('region', { name: nl.composer.title, exact: true });
      const text = composer.getByLabel(nl.composer.text, { exact: true });
      await text.waitFor();
      await watcher.getByRole('region', { name: nl.composer.title, exact: true }).waitFor();

      // Informal "je" where the profile is formal, no sign-off, and shouting punctuation.
      const draft = 'Hoi Ana, kun je je ordernummer even sturen? Dan kijken we het na!!!';
      await text.fill(draft);
      const findings = composer.getByRole('list', { name: nl.composer.findings, exact: true });
      await findings.getByText(nl.composer.severity.error, { exact: true }).first().waitFor();
      await composer.getByText(nl.composer.blocked, { exact: true }).waitFor();
      const marks = composer.locator('.tone-mark');
      await waitFor(async () => (await marks.count()) >= 3, {
        timeoutMs: 5_000,
        what: 'the findings underlined in the text',
      });
      const marked = await composer.locator('.tone-mark-error').allTextContents();
      expect(marked.map((m) => m.toLowerCase())).toEqual(expect.arrayContaining(['je']));
      await expectBackdropAligned(writer);
      expect(
        await composer.getByRole('button', { name: nl.composer.send, exact: true }).isDisabled(),
      ).toBe(true);
      // The underlined text and the findings in one view, with the header in sight: the pane
      // scrolls, and so does the page, which is a little taller than the window.
      await findings.scrollIntoViewIfNeeded();
      await writer.evaluate(() =>
        (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0),
      );
      await screenshot(writer, 'conversation');

      await collision(watcher).waitFor();
      expect(await collision(writer).count()).toBe(0); // never echoed to the writer
      await screenshot(watcher, 'collision');

      // Fixed: formal, signed, calm. The check passes and the other still sees the writer.
      await text.fill('Beste Ana, wilt u uw ordernummer sturen? Dan kijken wij het direct na. ^SV');
      await composer.getByText(nl.composer.clean, { exact: true }).waitFor();
      expect(await composer.locator('.tone-mark-error').count()).toBe(0);
      await collision(watcher).waitFor();

      // The writer clears the text (composer.stop): the warning goes, well before the idle timeout.
      const cleared = Date.now();
      await text.fill('');
      await collision(watcher).waitFor({ state: 'detached', timeout: 5_000 });
      expect(Date.now() - cleared).toBeLessThan(5_000);
    },
    SCENARIO_MS,
  );
});

/** What a browser element offers that the layout check reads (the tests compile without the DOM types). */
interface LaidOutElement {
  clientWidth: number;
  getBoundingClientRect(): { left: number; top: number };
}
type StyleOf = (element: LaidOutElement) => { getPropertyValue(name: string): string };

/** The properties that decide where a character of the text lands. */
const TEXT_LAYOUT = [
  'font-family',
  'font-size',
  'font-weight',
  'line-height',
  'letter-spacing',
  'padding-top',
  'padding-left',
  'padding-right',
  'border-top-width',
  'border-left-width',
  'white-space',
  'overflow-wrap',
  'word-break',
];

/**
 * The underlines are drawn on a backdrop behind the textarea: they sit under the right words
 * only while both lay their text out alike (same place, width, font, spacing and wrapping),
 * and they are seen only through a transparent textarea.
 */
async function expectBackdropAligned(page: Page): Promise<void> {
  const layoutOf = (selector: string) =>
    page.locator(selector).evaluate((element: LaidOutElement, keys: string[]) => {
      const style = (globalThis as unknown as { getComputedStyle: StyleOf }).getComputedStyle(
        element,
      );
      const box = element.getBoundingClientRect();
      return {
        ...Object.fromEntries(keys.map((key) => [key, style.getPropertyValue(key)])),
        background: style.getPropertyValue('background-color'),
        left: box.left,
        top: box.top,
        contentWidth: element.clientWidth,
      };
    }, TEXT_LAYOUT);
  const { background, ...input } = await layoutOf('.composer .tone-input');
  const { background: _behind, ...backdrop } = await layoutOf('.composer .tone-backdrop');
  expect(backdrop).toEqual(input);
  // The textarea lies on top: the marks behind it show only through a see-through background.
  expect(background).toBe('rgba(0, 0, 0, 0)');
}
