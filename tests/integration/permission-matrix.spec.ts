import { randomUUID } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import { OrganisationEntity, UserEntity } from '@toonbank/database';
import { MastodonPeer } from '@toonbank/channels/testing';
import { DEFAULT_POLICY_MATRIX } from '@toonbank/policy';
import { DEFAULT_TONE_PROFILE } from '@toonbank/templates';
import { closeTestDatabase, testDatabase } from '../support/database';
import {
  newChannelAccount,
  newConversation,
  newInboundMessage,
  newQuarantinedItem,
  newTemplate,
  newUser,
  TEST_PASSWORD,
} from '../support/factories';
import {
  changedTables,
  distinctiveStrings,
  idsOfOrganisationIn,
  organisationDigest,
  stringsIn,
  uuidsIn,
} from '../support/organisation-snapshot';
import {
  conversationFor,
  eligible,
  eligibleById,
  everyone,
  failedReplyFor,
  KINDS,
  LEAD,
  leadById,
  LEVELS,
  memberOf,
  newWorld,
  only,
  onlyAdminById,
  pendingReplyFor,
  whileEligible,
  whileEligibleById,
  type Cell,
  type Expected,
  type Scope,
  type World,
} from '../support/permission-world';
import { declaredRoutes } from '../support/route-inventory';
import {
  closeAllInboxClients,
  connectInbox,
  refusedConnection,
  sleep,
  SILENCE_MS,
  type InboxClient,
} from '../support/socket-client';
import { bearer, signIn, startTestApp, type TestApp } from '../support/test-app';

/**
 * The permission matrix, generated from ONE table: every endpoint of the API × every role
 * × maturity levels 1–3 × a record of the caller's own and of another organisation,
 * asserting the exact status and error code of API.md, that the other organisation's rows
 * did not change and that the answer shows nothing of it. A route missing from the table, or
 * declaring neither @Public() nor @RequirePermission(), fails the inventory test below. The
 * same table drives the refusal of expired and deactivated users' tokens on every route.
 *
 * Ids of another organisation in bodies and queries: permission-matrix-references.spec.ts;
 * socket rooms: permission-matrix-sockets.spec.ts.
 */

interface Endpoint {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  /** No token needed; checked on its own, outside the matrix. */
  public?: true;
  /** The route takes the id of a record: the "other organisation" column applies. */
  takesId?: true;
  /** The concrete URL and body for one cell. */
  request?: (
    world: World,
    cell: Cell,
  ) => Promise<{ url: string; body?: object }> | { url: string; body?: object };
  expect?: (cell: Cell) => Expected;
}

const ENDPOINTS: Endpoint[] = [
  { method: 'post', path: '/api/auth/login', public: true },
  { method: 'post', path: '/api/auth/refresh', public: true },
  { method: 'get', path: '/api/health', public: true },
  { method: 'get', path: '/api/health/live', public: true },
  { method: 'get', path: '/api/health/ready', public: true },
  // Public for the auth guard; its own guard wants METRICS_TOKEN or loopback (metrics.spec.ts).
  { method: 'get', path: '/metrics', public: true },
  {
    // The dashboard is off here (no QUEUE_DASHBOARD_ORG): admins reach the 404 (queue-dashboard.spec.ts).
    method: 'post',
    path: '/api/admin/queue-dashboard/session',
    request: () => ({ url: '/api/admin/queue-dashboard/session' }),
    expect: only(['admin'], 404),
  },
  { method: 'get', path: '/api/webhooks/:endpoint', public: true },
  { method: 'post', path: '/api/webhooks/:endpoint', public: true },
  {
    method: 'get',
    path: '/api/channels',
    request: () => ({ url: '/api/channels' }),
    expect: only(LEAD, 200),
  },
  {
    method: 'get',
    path: '/api/channels/providers',
    request: () => ({ url: '/api/channels/providers' }),
    expect: only(LEAD, 200),
  },
  {
    method: 'post',
    path: '/api/channels',
    request: async () => {
      // A Mastodon account of its own for each cell: one account can be connected once.
      const peer = await new MastodonPeer({ accessToken: 'matrix-token' }).start();
      peers.push(peer);
      return {
        url: '/api/channels',
        body: {
          provider: 'mastodon',
          name: 'M',
          config: { instanceUrl: peer.url, accessToken: 'matrix-token' },
        },
      };
    },
    expect: only(['admin'], 201),
  },
  {
    method: 'patch',
    path: '/api/channels/:id',
    takesId: true,
    request: async (world, cell) => {
      const org = cell.scope === 'own' ? world.own : world.other;
      const channel = await newChannelAccount(world.db, org.organisation);
      return { url: `/api/channels/${channel.id}`, body: { name: 'Renamed' } };
    },
    expect: onlyAdminById(200),
  },
  {
    method: 'delete',
    path: '/api/channels/:id',
    takesId: true,
    request: async (world, cell) => {
      const org = cell.scope === 'own' ? world.own : world.other;
      return { url: `/api/channels/${(await newChannelAccount(world.db, org.organisation)).id}` };
    },
    expect: onlyAdminById(200),
  },
  {
    method: 'get',
    path: '/api/channels/:id/quarantine',
    takesId: true,
    request: async (world, cell) => {
      const org = cell.scope === 'own' ? world.own : world.other;
      await newQuarantinedItem(world.db, org.channel);
      return { url: `/api/channels/${org.channel.id}/quarantine` };
    },
    expect: onlyAdminById(200),
  },
  {
    method: 'post',
    path: '/api/channels/:id/quarantine/:itemId/retry',
    takesId: true,
    // An item the connector could not read: the admin reaches the content check (422).
    request: async (world, cell) => {
      const org = cell.scope === 'own' ? world.own : world.other;
      const item = await newQuarantinedItem(world.db, org.channel);
      return { url: `/api/channels/${org.channel.id}/quarantine/${item.id}/retry` };
    },
    expect: (cell) =>
      cell.kind !== 'admin'
        ? [403, 'policy.forbidden']
        : cell.scope === 'own'
          ? [422, 'quarantine.unstorable']
          : [404, 'not_found'],
  },
  {
    method: 'post',
    path: '/api/channels/:id/quarantine/:itemId/discard',
    takesId: true,
    request: async (world, cell) => {
      const org = cell.scope === 'own' ? world.own : world.other;
      const item = await newQuarantinedItem(world.db, org.channel);
      return { url: `/api/channels/${org.channel.id}/quarantine/${item.id}/discard` };
    },
    expect: onlyAdminById(200),
  },
  {
    method: 'post',
    path: '/api/channels/:id/poll',
    takesId: true,
    // A webhook channel: the admin reaches the state check (409, nothing to poll), others stop earlier.
    request: async (world, cell) => {
      const org = cell.scope === 'own' ? world.own : world.other;
      const channel = await newChannelAccount(world.db, org.organisation, {
        provider: 'facebook',
        externalAccountId: null,
      });
      return { url: `/api/channels/${channel.id}/poll` };
    },
    expect: (cell) =>
      cell.kind !== 'admin'
        ? [403, 'policy.forbidden']
        : cell.scope === 'own'
          ? [409, 'conflict']
          : [404, 'not_found'],
  },
  {
    method: 'post',
    path: '/api/auth/logout',
    request: () => ({ url: '/api/auth/logout' }),
    expect: everyone(200),
  },
  { method: 'get', path: '/api/me', request: () => ({ url: '/api/me' }), expect: everyone(200) },
  {
    method: 'put',
    path: '/api/me/password',
    // Too short a new password: whoever may call the route reaches validation (400).
    request: () => ({
      url: '/api/me/password',
      body: { currentPassword: TEST_PASSWORD, newPassword: 'short' },
    }),
    expect: () => [400, 'validation.failed'],
  },
  {
    method: 'put',
    path: '/api/me/availability',
    request: () => ({ url: '/api/me/availability', body: { available: true } }),
    expect: everyone(200),
  },
  { method: 'get', path: '/api/org', request: () => ({ url: '/api/org' }), expect: everyone(200) },
  {
    method: 'patch',
    path: '/api/org',
    request: () => ({ url: '/api/org', body: { handBackMinutes: 15 } }),
    expect: only(['admin'], 200),
  },
  {
    method: 'get',
    path: '/api/users',
    request: () => ({ url: '/api/users' }),
    expect: everyone(200),
  },
  {
    method: 'get',
    path: '/api/users/eligible',
    request: () => ({ url: '/api/users/eligible' }),
    expect: only(LEAD, 200),
  },
  {
    method: 'post',
    path: '/api/users',
    request: () => ({
      url: '/api/users',
      body: {
        email: `new-${randomUUID()}@matrix.test`,
        name: 'New Colleague',
        role: 'agent',
        password: TEST_PASSWORD,
      },
    }),
    expect: only(['admin'], 201),
  },
  {
    method: 'patch',
    path: '/api/users/:id',
    takesId: true,
    request: async (world, cell) => {
      const organisation = cell.scope === 'own' ? world.own.organisation : world.other.organisation;
      const target = await newUser(world.db, organisation, { role: 'agent' });
      return { url: `/api/users/${target.id}`, body: { capacity: 7 } };
    },
    expect: onlyAdminById(200),
  },
  {
    method: 'get',
    path: '/api/org/policy',
    request: () => ({ url: '/api/org/policy' }),
    expect: everyone(200),
  },
  {
    method: 'put',
    path: '/api/org/policy',
    request: () => ({
      url: '/api/org/policy',
      body: { matrix: DEFAULT_POLICY_MATRIX, trustLadder: { approvalsToLift: 20 } },
    }),
    expect: only(['admin'], 200),
  },
  {
    method: 'put',
    path: '/api/org/maturity',
    // The level the cell runs at: allowed callers change nothing and get 200.
    request: (_world, cell) => ({
      url: '/api/org/maturity',
      body: { level: cell.level, reason: 'matrix' },
    }),
    expect: only(['admin'], 200),
  },
  {
    method: 'get',
    path: '/api/org/maturity/preview',
    request: () => ({ url: '/api/org/maturity/preview?level=3' }),
    expect: only(['admin'], 200),
  },
  {
    method: 'get',
    path: '/api/org/maturity/history',
    request: () => ({ url: '/api/org/maturity/history' }),
    expect: everyone(200),
  },
  {
    // Filtered on a record of either organisation: an admin gets 200 (and only their own
    // organisation's entries, asserted in audit.spec.ts), everyone else 403.
    method: 'get',
    path: '/api/audit',
    request: (world, cell) => ({
      url: `/api/audit?subjectId=${(cell.scope === 'own' ? world.own : world.other).agent.id}`,
    }),
    expect: only(['admin'], 200),
  },
  {
    // No record id: the other organisation is a matter of which rows are counted, asserted
    // in reports-times-sla.spec.ts and reports-volume.spec.ts.
    method: 'get',
    path: '/api/reports/summary',
    request: () => ({ url: '/api/reports/summary?from=2026-06-01&to=2026-06-07' }),
    expect: only(LEAD, 200),
  },
  {
    method: 'get',
    path: '/api/reports/export.csv',
    request: () => ({ url: '/api/reports/export.csv' }),
    expect: only(LEAD, 200),
  },
  {
    // A customer of a channel of the cell's organisation (the channel is the record): the
    // admin erases them, a channel of the other organisation is 404.
    method: 'post',
    path: '/api/customers/erase',
    takesId: true,
    request: async (world, cell) => {
      const org = cell.scope === 'own' ? world.own : world.other;
      const handle = `@klant-${randomUUID().slice(0, 8)}@social.example`;
      const conversation = await newConversation(world.db, org.organisation, org.channel, {
        customerHandle: handle,
      });
      await newInboundMessage(world.db, conversation);
      return { url: '/api/customers/erase', body: { channelId: org.channel.id, handle } };
    },
    expect: onlyAdminById(200),
  },
  {
    method: 'get',
    path: '/api/conversations',
    request: () => ({ url: '/api/conversations' }),
    expect: (cell) =>
      !LEAD.includes(cell.kind) && !eligible(cell) ? [403, 'policy.not_eligible'] : [200],
  },
  {
    // The inbox tabs' counts: exactly who may list the inbox (issue 14).
    method: 'get',
    path: '/api/conversations/counts',
    request: () => ({ url: '/api/conversations/counts' }),
    expect: whileEligible([200]),
  },
  {
    method: 'get',
    path: '/api/conversations/:id',
    takesId: true,
    request: async (world, cell) => ({
      url: `/api/conversations/${(await conversationFor(world, cell)).id}`,
    }),
    expect: whileEligibleById(200),
  },
  {
    method: 'post',
    path: '/api/conversations/:id/assign',
    takesId: true,
    request: async (world, cell) => {
      const conversation = await conversationFor(world, cell, {
        status: 'unassigned',
        assigneeId: null,
      });
      return {
        url: `/api/conversations/${conversation.id}/assign`,
        body: { userId: world.own.agent.id },
      };
    },
    expect: leadById(200),
  },
  {
    method: 'post',
    path: '/api/conversations/:id/claim',
    takesId: true,
    request: async (world, cell) => {
      const conversation = await conversationFor(world, cell, {
        status: 'unassigned',
        assigneeId: null,
      });
      return { url: `/api/conversations/${conversation.id}/claim` };
    },
    expect: eligibleById(200),
  },
  {
    method: 'post',
    path: '/api/conversations/:id/unassign',
    takesId: true,
    request: async (world, cell) => ({
      url: `/api/conversations/${(await conversationFor(world, cell)).id}/unassign`,
    }),
    expect: whileEligibleById(200),
  },
  {
    method: 'post',
    path: '/api/conversations/:id/close',
    takesId: true,
    request: async (world, cell) => ({
      url: `/api/conversations/${(await conversationFor(world, cell)).id}/close`,
    }),
    expect: whileEligibleById(200),
  },
  {
    method: 'post',
    path: '/api/conversations/:id/reopen',
    takesId: true,
    request: async (world, cell) => {
      const conversation = await conversationFor(world, cell, { status: 'closed' });
      return { url: `/api/conversations/${conversation.id}/reopen` };
    },
    expect: whileEligibleById(200),
  },
  {
    method: 'put',
    path: '/api/conversations/:id/labels',
    takesId: true,
    // Labelling is acting on it: the caller holds it whenever they may hold one.
    request: async (world, cell) => ({
      url: `/api/conversations/${(await conversationFor(world, cell)).id}/labels`,
      body: { labels: ['storing'] },
    }),
    expect: whileEligibleById(200),
  },
  {
    method: 'post',
    path: '/api/conversations/:id/notes',
    takesId: true,
    // Held by someone else whenever the caller could hold it: whoever may read it writes notes.
    request: async (world, cell) => {
      const org = cell.scope === 'own' ? world.own : world.other;
      const conversation = await newConversation(world.db, org.organisation, org.channel, {
        status: 'assigned',
        assigneeId: org.agent.id === cell.caller.id ? org.teamLead.id : org.agent.id,
      });
      return {
        url: `/api/conversations/${conversation.id}/notes`,
        body: { text: 'Even overleggen, zie het vorige gesprek.' },
      };
    },
    expect: whileEligibleById(201),
  },
  {
    method: 'post',
    path: '/api/conversations/bulk',
    request: async (world, cell) => ({
      url: '/api/conversations/bulk',
      body: { ids: [(await conversationFor(world, cell)).id], action: 'close' },
    }),
    expect: only(LEAD, 200),
  },
  {
    method: 'get',
    path: '/api/tone/profile',
    request: () => ({ url: '/api/tone/profile' }),
    expect: everyone(200),
  },
  {
    method: 'put',
    path: '/api/tone/profile',
    request: () => ({ url: '/api/tone/profile', body: DEFAULT_TONE_PROFILE }),
    expect: only(['admin'], 200),
  },
  {
    method: 'post',
    path: '/api/tone/check',
    // With a conversation: the check reads the customer's words, so it is scoped like reading one.
    request: async (world, cell) => ({
      url: '/api/tone/check',
      body: {
        text: 'Dank voor uw bericht. ^AB',
        conversationId: (await conversationFor(world, cell)).id,
      },
    }),
    expect: whileEligibleById(200),
  },
  {
    method: 'get',
    path: '/api/templates',
    request: () => ({ url: '/api/templates' }),
    expect: everyone(200),
  },
  {
    method: 'post',
    path: '/api/templates',
    request: () => ({
      url: '/api/templates',
      body: { name: `Matrix ${randomUUID()}`, body: 'Dank voor uw bericht. ^{{agent.initials}}' },
    }),
    expect: only(LEAD, 201),
  },
  {
    method: 'patch',
    path: '/api/templates/:id',
    takesId: true,
    request: async (world, cell) => {
      const org = cell.scope === 'own' ? world.own : world.other;
      const template = await newTemplate(world.db, org.organisation);
      return { url: `/api/templates/${template.id}`, body: { name: `Renamed ${randomUUID()}` } };
    },
    expect: leadById(200),
  },
  {
    method: 'delete',
    path: '/api/templates/:id',
    takesId: true,
    request: async (world, cell) => {
      const org = cell.scope === 'own' ? world.own : world.other;
      return { url: `/api/templates/${(await newTemplate(world.db, org.organisation)).id}` };
    },
    expect: leadById(200),
  },
  {
    method: 'post',
    path: '/api/conversations/:id/replies',
    takesId: true,
    // From a template (allowed at every level), on a conversation the caller holds.
    request: async (world, cell) => {
      const conversation = await conversationFor(world, cell);
      await newInboundMessage(world.db, conversation);
      const template = await newTemplate(world.db, world.own.organisation);
      return {
        url: `/api/conversations/${conversation.id}/replies`,
        body: { templateId: template.id },
      };
    },
    expect: eligibleById(201),
  },
  {
    method: 'get',
    path: '/api/conversations/:id/replies',
    takesId: true,
    request: async (world, cell) => ({
      url: `/api/conversations/${(await conversationFor(world, cell)).id}/replies`,
    }),
    expect: whileEligibleById(200),
  },
  {
    method: 'get',
    path: '/api/replies',
    request: () => ({ url: '/api/replies?status=pending_approval' }),
    expect: only(LEAD, 200),
  },
  {
    method: 'get',
    path: '/api/replies/:id',
    takesId: true,
    request: async (world, cell) => ({
      url: `/api/replies/${(await pendingReplyFor(world, cell)).id}`,
    }),
    expect: whileEligibleById(200),
  },
  {
    method: 'post',
    path: '/api/replies/:id/approve',
    takesId: true,
    request: async (world, cell) => ({
      url: `/api/replies/${(await pendingReplyFor(world, cell)).id}/approve`,
    }),
    expect: leadById(200),
  },
  {
    method: 'post',
    path: '/api/replies/:id/reject',
    takesId: true,
    request: async (world, cell) => ({
      url: `/api/replies/${(await pendingReplyFor(world, cell)).id}/reject`,
      body: { comment: 'Graag de klant met u aanspreken.' },
    }),
    expect: leadById(200),
  },
  {
    method: 'post',
    path: '/api/replies/:id/retry',
    takesId: true,
    request: async (world, cell) => ({
      url: `/api/replies/${(await failedReplyFor(world, cell)).id}/retry`,
    }),
    expect: leadById(200),
  },
];

const routeOf = (endpoint: Endpoint) => `${endpoint.method.toUpperCase()} ${endpoint.path}`;

const peers: MastodonPeer[] = [];

/** The claims of a token, re-signed by the app with the same secret but long expired. */
async function expiredTwin(app: TestApp, token: string, expiresIn = -60): Promise<string> {
  const claims = JSON.parse(
    Buffer.from(token.split('.')[1] as string, 'base64url').toString(),
  ) as Record<string, unknown>;
  delete claims.iat;
  delete claims.exp;
  return app.app.get(JwtService, { strict: false }).signAsync(claims, { expiresIn });
}

describe('the permission matrix', () => {
  let app: TestApp;
  let world: World;
  /** What names the other organisation and is not shared with the caller's (its people, its channel). */
  let otherStrings: string[];
  /** The other organisation's admin and agent, listening through the whole matrix. */
  let otherSockets: Record<'admin' | 'agent', InboxClient>;

  beforeAll(async () => {
    const db = await testDatabase();
    app = await startTestApp();
    world = await newWorld(db);
    otherStrings = await distinctiveStrings(
      db,
      world.other.organisation.id,
      world.own.organisation.id,
    );
    otherSockets = {
      admin: await connectInbox(app, await signIn(app, world.other.admin)),
      agent: await connectInbox(app, await signIn(app, world.other.agent)),
    };
  });
  afterAll(async () => {
    for (const peer of peers) await peer.close();
    closeAllInboxClients();
    await app.close();
    await closeTestDatabase();
  });

  const setLevel = (level: Cell['level']) =>
    world.db
      .getRepository(OrganisationEntity)
      .update({ id: world.own.organisation.id }, { maturityLevel: level });

  const send = async (endpoint: Endpoint, url: string, token: string, body?: object) => {
    const call = app.http()[endpoint.method](url).set(bearer(token));
    return body ? call.send(body) : call;
  };

  /**
   * What an answer shows of the other organisation: ids of its records (other than those the
   * caller sent) and the words that name it.
   */
  const otherOrganisationIn = async (text: string, url: string, body?: object) => ({
    ids: await idsOfOrganisationIn(
      world.db,
      world.other.organisation.id,
      text,
      uuidsIn(`${url} ${JSON.stringify(body ?? {})}`),
    ),
    strings: stringsIn(text, otherStrings),
  });

  it('covers every route of the API, and every route declares @Public() or a permission', () => {
    const routes = declaredRoutes(app.app);
    const undeclared = routes.filter((r) => !r.public && !r.permission).map((r) => r.route);
    expect(undeclared).toEqual([]);
    expect(routes.map((r) => r.route).sort()).toEqual(ENDPOINTS.map(routeOf).sort());
    for (const endpoint of ENDPOINTS) {
      const declared = routes.find((r) => r.route === routeOf(endpoint));
      expect({ route: routeOf(endpoint), public: declared?.public }).toEqual({
        route: routeOf(endpoint),
        public: endpoint.public === true,
      });
    }
  });

  it('refuses every non-public route without a token (401 auth.unauthenticated)', async () => {
    for (const endpoint of ENDPOINTS.filter((e) => !e.public)) {
      const path = endpoint.path.replace(':id', randomUUID());
      const response = await app.http()[endpoint.method](path);
      expect({
        route: routeOf(endpoint),
        status: response.status,
        code: response.body.code,
      }).toEqual({
        route: routeOf(endpoint),
        status: 401,
        code: 'auth.unauthenticated',
      });
    }
  });

  const cells = ENDPOINTS.filter((e) => !e.public).flatMap((endpoint) =>
    LEVELS.flatMap((level) =>
      KINDS.flatMap((kind) =>
        (endpoint.takesId ? (['own', 'other'] as Scope[]) : (['own'] as Scope[])).map(
          (scope) => [routeOf(endpoint), level, kind, scope, endpoint] as const,
        ),
      ),
    ),
  );

  // Besides the status: the other organisation's rows are the same after the call (whatever
  // the caller did to their own), and the answer holds none of its ids or words.
  it.each(cells)(
    '%s at level %i as %s on a record of the %s organisation',
    async (route, level, kind, scope, endpoint) => {
      await setLevel(level);
      const caller = memberOf(world.own, kind);
      const cell: Cell = { kind, level, scope, caller };
      const token = await signIn(app, caller);
      const { url, body } = await endpoint.request!(world, cell);
      const before = await organisationDigest(world.db, world.other.organisation.id);
      const response = await send(endpoint, url, token, body);
      const after = await organisationDigest(world.db, world.other.organisation.id);

      const [status, code] = endpoint.expect!(cell);
      // One comparison, so that a failure shows the status, the changes and the leaks together.
      expect({
        route,
        status: response.status,
        code: response.body.code,
        otherChanged: changedTables(before, after),
        leaked: await otherOrganisationIn(response.text, url, body),
      }).toEqual({
        route,
        status,
        code: code ?? (status >= 400 ? expect.any(String) : undefined),
        otherChanged: [],
        leaked: { ids: [], strings: [] },
      });
      if (status >= 400) {
        expect(Object.keys(response.body).sort()).toEqual(
          expect.arrayContaining(['code', 'message', 'statusCode']),
        );
      }
    },
  );

  /**
   * API.md: "no, bad or expired token; a deactivated user's token" → 401 on every route. The
   * holders are admins, for whom the same request with a live token would mostly succeed: the
   * 401 must come from the token alone, and the call must change nothing.
   */
  describe('tokens that no longer hold', () => {
    type Dead =
      'expired' | 'of a user deactivated through the API' | 'of a user deactivated in the database';
    const tokens = {} as Record<Dead, string>;
    const holders = {} as Record<Dead, UserEntity>;

    beforeAll(async () => {
      await setLevel(3);
      const db = world.db;
      const organisation = world.own.organisation;
      const [expired, byApi, inDatabase] = await Promise.all(
        [1, 2, 3].map(() => newUser(db, organisation, { role: 'admin' })),
      );
      holders.expired = expired!;
      holders['of a user deactivated through the API'] = byApi!;
      holders['of a user deactivated in the database'] = inDatabase!;
      const live: Record<Dead, string> = {
        expired: await signIn(app, expired!),
        'of a user deactivated through the API': await signIn(app, byApi!),
        'of a user deactivated in the database': await signIn(app, inDatabase!),
      };
      // Each token works until it expires or its user is deactivated.
      for (const token of [...Object.values(live), await expiredTwin(app, live.expired, 900)]) {
        await app.http().get('/api/me').set(bearer(token)).expect(200);
      }
      tokens.expired = await expiredTwin(app, live.expired);
      await app
        .http()
        .patch(`/api/users/${byApi!.id}`)
        .set(bearer(await signIn(app, world.own.admin)))
        .send({ active: false })
        .expect(200);
      tokens['of a user deactivated through the API'] =
        live['of a user deactivated through the API'];
      // Only the flag: the session stays live, so the 401 comes from the user being inactive.
      await db.getRepository(UserEntity).update({ id: inDatabase!.id }, { active: false });
      tokens['of a user deactivated in the database'] =
        live['of a user deactivated in the database'];
    });

    it.each(ENDPOINTS.filter((e) => !e.public).map((e) => [routeOf(e), e] as const))(
      '%s answers 401 auth.unauthenticated, changing and showing nothing',
      async (route, endpoint) => {
        const answers: Record<string, unknown> = {};
        for (const [what, token] of Object.entries(tokens) as [Dead, string][]) {
          const cell: Cell = { kind: 'admin', level: 3, scope: 'own', caller: holders[what] };
          const { url, body } = await endpoint.request!(world, cell);
          const ids = [world.own.organisation.id, world.other.organisation.id];
          const before = await Promise.all(ids.map((id) => organisationDigest(world.db, id)));
          const response = await send(endpoint, url, token, body);
          const after = await Promise.all(ids.map((id) => organisationDigest(world.db, id)));
          answers[what] = {
            status: response.status,
            code: response.body.code,
            changed: before.map((digest, i) => changedTables(digest, after[i]!)),
            ids: uuidsIn(response.text),
          };
        }
        const refused = { status: 401, code: 'auth.unauthenticated', changed: [[], []], ids: [] };
        expect({ route, answers }).toEqual({
          route,
          answers: Object.fromEntries(Object.keys(tokens).map((what) => [what, refused])),
        });
      },
    );

    it('refuses them at the socket handshake too', async () => {
      const answers: Record<string, string> = {};
      for (const [what, token] of Object.entries(tokens)) {
        answers[what] = await refusedConnection(app, { token });
      }
      expect(answers).toEqual(
        Object.fromEntries(Object.keys(tokens).map((what) => [what, 'auth.unauthenticated'])),
      );
    });
  });

  // Nobody in the other organisation acted: anything its sockets heard came from the caller's.
  it("let no live event reach the other organisation's sockets during any of the above", async () => {
    await sleep(SILENCE_MS);
    expect({ admin: otherSockets.admin.received, agent: otherSockets.agent.received }).toEqual({
      admin: [],
      agent: [],
    });
    expect(otherSockets.admin.connected && otherSockets.agent.connected).toBe(true);
  });
});
