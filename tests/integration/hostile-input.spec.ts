import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { AuditLogService } from '@toonbank/audit';
import { AuditLogEntity } from '@toonbank/database';
import { MAX_BODY_DEPTH } from '@toonbank/platform';
import { DEFAULT_POLICY_MATRIX } from '@toonbank/policy';
import { DEFAULT_TONE_PROFILE } from '@toonbank/templates';
import type { DataSource } from 'typeorm';
import { BODY_LIMIT_BYTES } from '../../apps/api/src/http/json-bodies';
import { closeTestDatabase, testDatabase } from '../support/database';
import { expectError, expectValidation } from '../support/expect-error';
import {
  newAnsweredConversation,
  newChannelAccount,
  newReply,
  newStaffedOrganisation,
  newTemplate,
  TEST_PASSWORD,
} from '../support/factories';
import { declaredRoutes } from '../support/route-inventory';
import { bearer, signIn, startTestApp, type TestApp } from '../support/test-app';

/**
 * Hostile input (issue 11, items 4 and 5), live through HTTP against the real API serving the
 * web app (WEB_DIST_DIR set, as in production: its fallback once turned every body error into
 * 404). The probes are generated from the route inventory and the OpenAPI document: every
 * string field of every body and every query parameter, each with a NUL, a lone high and a
 * lone low surrogate, must be 400 validation.failed naming the field, with nothing written.
 */

const HOSTILE: [label: string, text: string][] = [
  ['a NUL', 'a\u0000b'],
  ['a lone high surrogate', 'a\ud800b'],
  ['a lone low surrogate', 'a\udc00b'],
];

interface OpenApiSchema {
  type?: string;
  $ref?: string;
  properties?: Record<string, OpenApiSchema>;
  items?: OpenApiSchema;
  additionalProperties?: OpenApiSchema | boolean;
  enum?: unknown[];
}
interface OpenApiOperation {
  parameters?: { name: string; in: string }[];
  requestBody?: { content?: { 'application/json'?: { schema?: OpenApiSchema } } };
}
interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, OpenApiSchema> };
}

/** Routes whose body is not read through a DTO, with the reason they are left out. */
const BODY_NOT_PROBED: Record<string, string> = {
  // Signed by the channel (Meta: 403 without the app secret's signature); the ingest writer strips NUL.
  'POST /api/webhooks/:endpoint': 'signed webhook',
};

/** Every place a string can go in a body of this schema, as dotted paths ending in a string. */
function stringPaths(schema: OpenApiSchema, document: OpenApiDocument, prefix = ''): string[] {
  const resolved = schema.$ref
    ? document.components.schemas[schema.$ref.split('/').pop() as string]
    : schema;
  const at = (name: string) => (prefix ? `${prefix}.${name}` : name);
  if (resolved.type === 'string') return [prefix];
  if (resolved.type === 'array' && resolved.items) {
    return stringPaths(resolved.items, document, at('0'));
  }
  if (resolved.properties) {
    return Object.entries(resolved.properties).flatMap(([name, property]) =>
      stringPaths(property, document, at(name)),
    );
  }
  // A free-form object (channel config, businessHours, template variables): any key.
  if (resolved.type === 'object') return [at('anyKey')];
  return [];
}

/** A copy of `body` with `text` at `path` (containers made where missing; "0" is an index). */
function withTextAt(body: object, path: string, text: string): object {
  const copy = structuredClone(body) as Record<string, unknown>;
  const keys = path.split('.');
  let at: Record<string, unknown> = copy;
  keys.slice(0, -1).forEach((key, index) => {
    const inner = at[key];
    if (inner === null || typeof inner !== 'object') at[key] = keys[index + 1] === '0' ? [] : {};
    at = at[key] as Record<string, unknown>;
  });
  at[keys[keys.length - 1]] = text;
  return copy;
}

interface Records {
  email: string;
  userId: string;
  conversationId: string;
  channelId: string;
  templateId: string;
  replyId: string;
}
/**
 * A request each body route would accept (or judge on its merits after reading the database),
 * so that a probe differs from it in one field only: without the refusal the hostile text
 * would reach PostgreSQL. Routes not named here get an empty body.
 */
const VALID_REQUESTS: Record<string, (r: Records) => { id?: string; body: object }> = {
  'POST /api/auth/login': (r) => ({ body: { email: r.email, password: TEST_PASSWORD } }),
  'POST /api/auth/refresh': () => ({ body: { refreshToken: 'not-a-refresh-token' } }),
  'POST /api/users': () => ({
    body: {
      email: `new-${randomUUID().slice(0, 8)}@hostile.test`,
      name: 'Nieuwe Collega',
      role: 'agent',
      password: 'a-long-enough-password',
      initials: 'NC',
      languages: ['nl'],
    },
  }),
  'PATCH /api/users/:id': (r) => ({
    id: r.userId,
    body: { name: 'Andere Naam', initials: 'AN', languages: ['en'] },
  }),
  'PUT /api/me/password': () => ({
    body: { currentPassword: TEST_PASSWORD, newPassword: 'another-long-password' },
  }),
  'PATCH /api/org': () => ({
    body: {
      name: 'Andere Organisatie',
      timeZone: 'Europe/Amsterdam',
      businessHours: { mon: [['08:00', '20:00']] },
    },
  }),
  'PUT /api/org/maturity': () => ({ body: { level: 2, reason: 'Klaar voor de groei' } }),
  'PUT /api/org/policy': () => ({
    body: { matrix: DEFAULT_POLICY_MATRIX, trustLadder: { approvalsToLift: 20 } },
  }),
  'POST /api/conversations/bulk': (r) => ({
    body: { ids: [r.conversationId], action: 'label', label: 'storing' },
  }),
  'POST /api/conversations/:id/assign': (r) => ({
    id: r.conversationId,
    body: { userId: r.userId },
  }),
  'PUT /api/conversations/:id/labels': (r) => ({
    id: r.conversationId,
    body: { labels: ['storing'] },
  }),
  'POST /api/conversations/:id/notes': (r) => ({
    id: r.conversationId,
    body: { text: 'Even navragen bij de netbeheerder.' },
  }),
  'POST /api/conversations/:id/replies': (r) => ({
    id: r.conversationId,
    body: { text: 'Dank voor uw bericht. We kijken er direct naar. ^AB' },
  }),
  'POST /api/replies/:id/reject': (r) => ({ id: r.replyId, body: { comment: 'Graag korter.' } }),
  'POST /api/channels': () => ({
    body: {
      provider: 'mastodon',
      name: 'Mastodon webcare',
      config: { instanceUrl: 'https://social.example', accessToken: 'token' },
    },
  }),
  'PATCH /api/channels/:id': (r) => ({ id: r.channelId, body: { name: 'Andere naam' } }),
  'PUT /api/tone/profile': () => ({ body: DEFAULT_TONE_PROFILE }),
  'POST /api/tone/check': (r) => ({
    body: { text: 'Dank voor uw bericht. ^AB', conversationId: r.conversationId },
  }),
  'POST /api/templates': () => ({
    body: { name: 'Storing', body: 'Dank voor uw bericht. We kijken er direct naar. ^AB' },
  }),
  'PATCH /api/templates/:id': (r) => ({ id: r.templateId, body: { name: 'Storing 2' } }),
  'POST /api/customers/erase': (r) => ({ body: { channelId: r.channelId, handle: '@klant' } }),
};

const nestedArrays = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);
const routeUrl = (route: string, id: string = randomUUID()) =>
  route.split(' ')[1].replace(':id', id);
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
const methodOf = (route: string) => route.split(' ')[0].toLowerCase() as Method;

describe('hostile input', () => {
  let app: TestApp;
  let db: DataSource;
  let webDir: string;
  let world: Awaited<ReturnType<typeof newStaffedOrganisation>>;
  let adminToken: string;
  let records: Records;
  let document: OpenApiDocument;
  let routes: string[];
  let publicRoutes: Set<string>;

  beforeAll(async () => {
    webDir = mkdtempSync(join(tmpdir(), 'toonbank-web-'));
    writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>Toonbank</title>');
    app = await startTestApp({ WEB_DIST_DIR: webDir });
    db = await testDatabase();
    world = await newStaffedOrganisation(db);
    adminToken = await signIn(app, world.admin);
    const channel = await newChannelAccount(db, world.organisation);
    const conversation = await newAnsweredConversation(db, world.organisation, channel);
    records = {
      email: world.admin.email,
      userId: world.agent.id,
      conversationId: conversation.id,
      channelId: channel.id,
      templateId: (await newTemplate(db, world.organisation)).id,
      replyId: (await newReply(db, conversation, world.communications)).id,
    };
    document = (await app.http().get('/api/docs-json')).body as OpenApiDocument;
    const declared = declaredRoutes(app.app);
    routes = declared.map(({ route }) => route);
    publicRoutes = new Set(declared.filter((route) => route.public).map(({ route }) => route));
  });

  afterAll(async () => {
    await app.close();
    await closeTestDatabase();
    rmSync(webDir, { recursive: true, force: true });
  });

  const operationOf = (route: string): OpenApiOperation | undefined => {
    const [method, path] = route.split(' ');
    return document.paths[path.replace(':id', '{id}')]?.[method.toLowerCase()];
  };
  /** A request to the route (a fresh id for `:id`), without a token or with the admin's. */
  const call = (route: string, token: boolean, query = '', id?: string) => {
    const agent = app.http();
    const url = routeUrl(route, id) + query;
    return agent[methodOf(route)](url).set(token ? bearer(adminToken) : {});
  };
  const send = (route: string, body?: unknown, query = '', id?: string) => {
    let request = call(route, !publicRoutes.has(route), query, id);
    if (body !== undefined) request = request.send(body as object);
    return request;
  };

  /** Rows of every organisation-scoped table of this organisation, and the organisation itself. */
  async function snapshot(): Promise<unknown> {
    const tables = (await db.query(
      `SELECT table_name FROM information_schema.columns
        WHERE table_schema = 'public' AND column_name = 'organisation_id' ORDER BY table_name`,
    )) as { table_name: string }[];
    const counts: Record<string, number> = {};
    for (const { table_name: table } of tables) {
      const [{ count }] = (await db.query(
        `SELECT count(*)::int AS count FROM "${table}" WHERE organisation_id = $1`,
        [world.organisation.id],
      )) as { count: number }[];
      counts[table] = count;
    }
    const [organisation] = (await db.query(`SELECT * FROM organisations WHERE id = $1`, [
      world.organisation.id,
    ])) as unknown[];
    const [tone] = (await db.query(`SELECT * FROM tone_profiles WHERE organisation_id = $1`, [
      world.organisation.id,
    ])) as unknown[];
    return { counts, organisation, tone };
  }

  describe('text PostgreSQL cannot store', () => {
    /** [route, field path] for every string of every DTO body, plus a field no DTO declares. */
    const bodyProbes = () =>
      routes.flatMap((route) => {
        const schema = operationOf(route)?.requestBody?.content?.['application/json']?.schema;
        if (!schema || route in BODY_NOT_PROBED) return [];
        return [...stringPaths(schema, document), 'notInTheDto'].map(
          (path) => [route, path] as const,
        );
      });
    const queryProbes = () =>
      routes.flatMap((route) =>
        (operationOf(route)?.parameters ?? [])
          .filter((parameter) => parameter.in === 'query')
          .map((parameter) => [route, parameter.name] as const),
      );

    it('covers every route with a JSON body and every query parameter', () => {
      const bodyRoutes = new Set(bodyProbes().map(([route]) => route));
      for (const route of routes.filter((r) => /^(POST|PUT|PATCH) /.test(r))) {
        if (operationOf(route)?.requestBody)
          expect({ route, probed: bodyRoutes.has(route) }).toEqual({ route, probed: true });
      }
      // The inputs issue 11 found, among others.
      expect(bodyProbes()).toEqual(
        expect.arrayContaining([
          ['POST /api/auth/login', 'email'],
          ['POST /api/users', 'name'],
          ['PATCH /api/org', 'name'],
          ['POST /api/templates', 'body'],
          ['PUT /api/tone/profile', 'forbiddenPhrases.0.phrase'],
          ['PUT /api/tone/profile', 'signoff.pattern'],
          ['PUT /api/org/maturity', 'reason'],
          ['POST /api/conversations/:id/replies', 'variables.anyKey'],
        ]),
      );
      expect(queryProbes()).toEqual(
        expect.arrayContaining([
          ['GET /api/conversations', 'q'],
          ['GET /api/conversations', 'customer'],
          ['GET /api/audit', 'action'],
        ]),
      );
      expect(bodyProbes().length).toBeGreaterThan(60);
    });

    it('every string field of every body: 400 validation.failed naming the field, nothing written', async () => {
      const before = await snapshot();
      const answers: {
        route: string;
        path: string;
        hostile: string;
        status: number;
        fields: unknown;
      }[] = [];
      for (const [route, path] of bodyProbes()) {
        for (const [hostile, text] of HOSTILE) {
          const valid = VALID_REQUESTS[route]?.(records) ?? { body: {} };
          const response = await send(route, withTextAt(valid.body, path, text), '', valid.id);
          answers.push({
            route,
            path,
            hostile,
            status: response.status,
            fields: (response.body as { details?: { fields?: unknown } }).details?.fields,
          });
        }
      }
      expect(answers).toEqual(
        answers.map((answer) => ({ ...answer, status: 400, fields: [answer.path] })),
      );
      expect(await snapshot()).toEqual(before);
    });

    it('a key PostgreSQL cannot store is refused too (template variables, channel config)', async () => {
      for (const [route, body] of [
        [
          'POST /api/conversations/:id/replies',
          { templateId: randomUUID(), variables: { 'a\u0000': 'x' } },
        ],
        ['POST /api/channels', { provider: 'mastodon', name: 'x', config: { 'k\ud800': 'v' } }],
      ] as const) {
        const response = await send(route, body);
        expectError(response, 400, 'validation.failed');
        expect(response.body.details.fields).toHaveLength(1);
      }
    });

    it('every query parameter with a NUL: 400 validation.failed naming it', async () => {
      const answers: { route: string; name: string; status: number; fields: unknown }[] = [];
      for (const [route, name] of queryProbes()) {
        const response = await send(route, undefined, `?${name}=a%00b`);
        answers.push({
          route,
          name,
          status: response.status,
          fields: (response.body as { details?: { fields?: unknown } }).details?.fields,
        });
      }
      expect(answers).toEqual(
        answers.map((answer) => ({ ...answer, status: 400, fields: [answer.name] })),
      );
    });

    it('a query that no DTO reads (the webhook handshake) is refused as well', async () => {
      const response = await app.http().get('/api/webhooks/meta?hub.mode=a%00');
      expectValidation({ status: response.status, body: JSON.parse(response.text) }, 'hub.mode');
    });

    it.each([
      ['a surrogate encoded in UTF-8 (CESU-8)', '%ED%A0%80'],
      ['a stray continuation byte', '%80'],
      ['a broken escape', '%E0%A4'],
    ])('%s in the query never answers 500', async (_label, encoded) => {
      const response = await send(
        'GET /api/conversations',
        undefined,
        `?q=${encoded}&customer=${encoded}`,
      );
      expect(response.status).toBe(200);
    });

    it('a route id with a NUL is an id no row has: 404 (API.md), not 500', async () => {
      const response = await app.http().get('/api/users/%00').set(bearer(adminToken));
      expectError(response, 404, 'not_found');
      const patch = await app
        .http()
        .patch('/api/users/a%00')
        .set(bearer(adminToken))
        .send({ name: 'x' });
      expectError(patch, 404, 'not_found');
    });

    it('without a token the caller is asked who they are first (401 before 400)', async () => {
      const response = await app.http().get('/api/conversations?q=%00');
      expectError(response, 401, 'auth.unauthenticated');
    });
  });

  describe('text that reaches PostgreSQL outside a request body', () => {
    it('an audit entry with a NUL or half a surrogate pair is stored with U+FFFD, not refused', async () => {
      const subjectId = randomUUID();
      await db.transaction((manager) =>
        app.app.get(AuditLogService).record(manager, {
          organisationId: world.organisation.id,
          actorId: null,
          action: 'channel.updated',
          subjectType: 'channel',
          subjectId,
          before: { name: 'a\u0000b', ['k\ud800']: ['x\udc00'] },
          after: { name: 'ok', at: new Date(0) },
          reason: 'why\u0000',
        }),
      );
      const entry = await db.getRepository(AuditLogEntity).findOneByOrFail({ subjectId });
      expect({ before: entry.before, after: entry.after, reason: entry.reason }).toEqual({
        before: { name: 'a\uFFFDb', 'k\uFFFD': ['x\uFFFD'] },
        after: { name: 'ok', at: '1970-01-01T00:00:00.000Z' },
        reason: 'why\uFFFD',
      });
    });
  });

  describe('deeply nested JSON', () => {
    const writeRoutes = () => routes.filter((route) => /^(POST|PUT|PATCH) /.test(route));

    it.each([
      ['3,000 levels', 3_000],
      ['100,000 levels', 100_000],
    ])(
      '%s to every POST, PUT and PATCH route, with and without a token: 400',
      async (_label, levels) => {
        const body = `{"field":${nestedArrays(levels)}}`;
        const answers: {
          route: string;
          token: boolean;
          status: number;
          code: unknown;
          fields: unknown;
        }[] = [];
        for (const route of writeRoutes()) {
          for (const token of [false, true]) {
            const response = await call(route, token)
              .set('Content-Type', 'application/json')
              .send(body);
            const { code, details } = response.body as {
              code?: string;
              details?: { fields?: unknown };
            };
            answers.push({ route, token, status: response.status, code, fields: details?.fields });
          }
        }
        expect(answers).toEqual(
          answers.map((answer) => ({
            ...answer,
            status: 400,
            code: 'validation.failed',
            fields: ['field'],
          })),
        );
      },
    );

    it(`the limit is ${MAX_BODY_DEPTH} levels: a body exactly that deep is read`, async () => {
      const deepest = `{"name":"x","deep":${nestedArrays(MAX_BODY_DEPTH - 1)}}`;
      const tooDeep = `{"name":"x","deep":${nestedArrays(MAX_BODY_DEPTH)}}`;
      const patch = (body: string) =>
        app
          .http()
          .patch('/api/org')
          .set(bearer(adminToken))
          .set('Content-Type', 'application/json')
          .send(body);
      // Read, then refused by the DTO for its unknown field (not for its depth).
      const read = await patch(deepest);
      expectValidation(read, 'deep');
      expect(read.body.message).not.toMatch(/nested/);
      const refused = await patch(tooDeep);
      expectValidation(refused, 'deep');
      expect(refused.body.message).toMatch(/nested deeper than 32 levels/);
    });

    it('the contract’s deepest body (businessHours) is accepted', async () => {
      const response = await app
        .http()
        .patch('/api/org')
        .set(bearer(adminToken))
        .send({ businessHours: { mon: [['08:00', '20:00']], sat: [['10:00', '16:00']] } });
      expect(response.status).toBe(200);
    });
  });

  describe('bodies the API cannot read (through the web app’s fallback)', () => {
    const login = () => app.http().post('/api/auth/login');
    const authenticated = () => app.http().put('/api/tone/profile').set(bearer(adminToken));

    it.each([
      ['public', login],
      ['authenticated', authenticated],
    ])('malformed JSON on a %s route: 400 validation.failed', async (_label, call) => {
      const response = await call().set('Content-Type', 'application/json').send('{"email": }');
      expect({ status: response.status, body: response.body }).toEqual({
        status: 400,
        body: {
          statusCode: 400,
          code: 'validation.failed',
          message: 'The request body is not valid JSON.',
          details: { fields: [], errors: {} },
        },
      });
    });

    it.each([
      ['just over the limit', BODY_LIMIT_BYTES + 1],
      ['1 MB', 1024 * 1024],
      ['10 MB', 10 * 1024 * 1024],
    ])('a body of %s: 413 payload_too_large', async (_label, size) => {
      const body = JSON.stringify({ email: 'x'.repeat(size), password: 'y' });
      for (const call of [login, authenticated]) {
        const response = await call().set('Content-Type', 'application/json').send(body);
        expectError(response, 413, 'payload_too_large');
      }
    });

    it('a large body without a Content-Length (chunked) is cut off at the limit: 413', async () => {
      const response = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const request = httpRequest(
          `${app.url}/api/auth/login`,
          { method: 'POST', headers: { 'Content-Type': 'application/json' } },
          (answer) => {
            let text = '';
            answer.on('data', (chunk: Buffer) => (text += chunk.toString()));
            answer.on('end', () => resolve({ status: answer.statusCode ?? 0, body: text }));
          },
        );
        request.on('error', reject);
        request.write('{"email":"');
        request.end(`${'x'.repeat(2 * BODY_LIMIT_BYTES)}"}`);
      });
      expect(response.status).toBe(413);
      expect(JSON.parse(response.body)).toMatchObject({ code: 'payload_too_large' });
    });

    it.each([
      ['text/plain', 'text/plain', '{"email":"a@b.test","password":"x"}'],
      ['a form', 'application/x-www-form-urlencoded', 'email=a%40b.test&password=x'],
      ['no content type', '', '{"email":"a@b.test","password":"x"}'],
    ])(
      'a body sent as %s where JSON is needed: 400 validation.failed',
      async (_label, type, body) => {
        const response = await login().set('Content-Type', type).send(body);
        expect({ status: response.status, body: response.body }).toEqual({
          status: 400,
          body: {
            statusCode: 400,
            code: 'validation.failed',
            message: 'The request body must be JSON (Content-Type: application/json).',
            details: { fields: [], errors: {} },
          },
        });
      },
    );

    it('a body-less action with an empty text body still works', async () => {
      const response = await app
        .http()
        .post('/api/auth/logout')
        .set(bearer(await signIn(app, world.agent)))
        .set('Content-Type', 'text/plain')
        .send('');
      expect(response.status).toBe(200);
    });

    it('the web app is still served, and an unknown API path is still 404', async () => {
      const page = await app.http().get('/inbox');
      expect(page.status).toBe(200);
      expect(page.text).toContain('<title>Toonbank</title>');
      expectError(
        await app.http().get('/api/nothing-here').set(bearer(adminToken)),
        404,
        'not_found',
      );
    });
  });
  // Last: these requests change things (the level, the admin's password, ...).
  it('the probes’ base requests are valid: each probe differs from an accepted request in one field', async () => {
    const answers: { route: string; status: number; code: unknown }[] = [];
    for (const [route, valid] of Object.entries(VALID_REQUESTS)) {
      const { id, body } = valid(records);
      const response = await send(route, body, '', id);
      answers.push({
        route,
        status: response.status,
        code: (response.body as { code?: unknown }).code,
      });
    }
    expect(
      // (Connecting the channel answers 503: its server does not exist.)
      answers.filter(({ code }) => code === 'internal' || code === 'validation.failed'),
    ).toEqual([]);
  });
});
