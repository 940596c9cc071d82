import { randomUUID } from 'node:crypto';
import { OrganisationEntity, type UserEntity } from '@toonbank/database';
import type { MaturityLevel } from '@toonbank/shared';
import type { DataSource } from 'typeorm';
import { closeTestDatabase, testDatabase } from '../support/database';
import { newStaffedOrganisation, newUser, TEST_PASSWORD } from '../support/factories';
import { declaredRoutes } from '../support/route-inventory';
import { bearer, signIn, startTestApp, type TestApp } from '../support/test-app';

/**
 * The permission matrix, generated from ONE table: every endpoint of the API × every role
 * × maturity levels 1–3 × a record of the caller's own and of another organisation,
 * asserting the exact status and error code of API.md. A route missing from the table, or
 * declaring neither @Public() nor @RequirePermission(), fails the inventory test below.
 */

type Kind =
  'admin' | 'team_lead' | 'agent' | 'communications' | 'employee_trained' | 'employee_untrained';
const KINDS: Kind[] = [
  'admin',
  'team_lead',
  'agent',
  'communications',
  'employee_trained',
  'employee_untrained',
];
const LEVELS: MaturityLevel[] = [1, 2, 3];
type Scope = 'own' | 'other';
type Expected = [status: number, code?: string];

interface World {
  db: DataSource;
  own: Awaited<ReturnType<typeof newStaffedOrganisation>>;
  other: Awaited<ReturnType<typeof newStaffedOrganisation>>;
}

interface Cell {
  kind: Kind;
  level: MaturityLevel;
  scope: Scope;
  caller: UserEntity;
}

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

const LEAD: Kind[] = ['admin', 'team_lead'];
const everyone = (ok: number) => (): Expected => [ok];
const only =
  (kinds: Kind[], ok: number) =>
  (cell: Cell): Expected =>
    kinds.includes(cell.kind) ? [ok] : [403, 'policy.forbidden'];
const onlyAdminById =
  (ok: number) =>
  (cell: Cell): Expected =>
    cell.kind !== 'admin'
      ? [403, 'policy.forbidden']
      : cell.scope === 'own'
        ? [ok]
        : [404, 'not_found'];

const ENDPOINTS: Endpoint[] = [
  { method: 'post', path: '/api/auth/login', public: true },
  { method: 'post', path: '/api/auth/refresh', public: true },
  { method: 'get', path: '/api/health', public: true },
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
];

const routeOf = (endpoint: Endpoint) => `${endpoint.method.toUpperCase()} ${endpoint.path}`;

describe('the permission matrix', () => {
  let app: TestApp;
  let world: World;

  beforeAll(async () => {
    const db = await testDatabase();
    app = await startTestApp();
    world = { db, own: await newStaffedOrganisation(db), other: await newStaffedOrganisation(db) };
  });
  afterAll(async () => {
    await app.close();
    await closeTestDatabase();
  });

  const callerOf = (kind: Kind): UserEntity =>
    ({
      admin: world.own.admin,
      team_lead: world.own.teamLead,
      agent: world.own.agent,
      communications: world.own.communications,
      employee_trained: world.own.employeeTrained,
      employee_untrained: world.own.employeeUntrained,
    })[kind];

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

  it.each(cells)(
    '%s at level %i as %s on a record of the %s organisation',
    async (route, level, kind, scope, endpoint) => {
      await world.db
        .getRepository(OrganisationEntity)
        .update({ id: world.own.organisation.id }, { maturityLevel: level });
      const caller = callerOf(kind);
      const cell: Cell = { kind, level, scope, caller };
      const token = await signIn(app, caller);
      const { url, body } = await endpoint.request!(world, cell);
      const call = app.http()[endpoint.method](url).set(bearer(token));
      const response = await (body ? call.send(body) : call);
      const [status, code] = endpoint.expect!(cell);
      expect({ route, status: response.status, code: response.body.code }).toEqual({
        route,
        status,
        code: code ?? (status >= 400 ? expect.any(String) : undefined),
      });
      if (status >= 400) {
        expect(Object.keys(response.body).sort()).toEqual(
          expect.arrayContaining(['code', 'message', 'statusCode']),
        );
      }
    },
  );
});
