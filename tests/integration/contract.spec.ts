import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { closeTestDatabase, testDatabase } from '../support/database';
import { newStaffedOrganisation, newUser, TEST_PASSWORD } from '../support/factories';
import { bearer, signIn, startTestApp, type TestApp } from '../support/test-app';

/** The ground rules of API.md §Conventions: one error shape, validation, paging, 404 across organisations. */
describe('contract ground rules', () => {
  let app: TestApp;
  let db: DataSource;
  let world: Awaited<ReturnType<typeof newStaffedOrganisation>>;
  let adminToken: string;
  let agentToken: string;

  beforeAll(async () => {
    db = await testDatabase();
    app = await startTestApp();
    world = await newStaffedOrganisation(db);
    adminToken = await signIn(app, world.admin);
    agentToken = await signIn(app, world.agent);
  });
  afterAll(async () => {
    await app.close();
    await closeTestDatabase();
  });

  /** `{ statusCode, code, message, details? }` and nothing else, statusCode = the HTTP status. */
  const expectErrorShape = (
    response: { status: number; body: Record<string, unknown> },
    code: string,
  ) => {
    expect(response.body).toEqual({
      statusCode: response.status,
      code,
      message: expect.any(String),
      ...('details' in response.body ? { details: expect.any(Object) } : {}),
    });
    expect((response.body.message as string).length).toBeGreaterThan(0);
  };

  describe('the error shape for each status code', () => {
    it('400 validation.failed names the fields', async () => {
      const response = await app
        .http()
        .post('/api/users')
        .set(bearer(adminToken))
        .send({ email: 'not-an-email', name: '', role: 'wizard', password: 'x' });
      expect(response.status).toBe(400);
      expectErrorShape(response, 'validation.failed');
      expect(response.body.details.fields.sort()).toEqual(['email', 'name', 'password', 'role']);
      expect(response.body.details.errors.role).toEqual([expect.stringContaining('role')]);
    });

    it('400 for a body that is not JSON', async () => {
      const response = await app
        .http()
        .patch('/api/org')
        .set(bearer(adminToken))
        .set('Content-Type', 'application/json')
        .send('{"name": ');
      expect(response.status).toBe(400);
      expectErrorShape(response, 'validation.failed');
    });

    it('400 for a JSON body that is not an object', async () => {
      const response = await app
        .http()
        .patch('/api/org')
        .set(bearer(adminToken))
        .send([{ name: 'x' }]);
      expect(response.status).toBe(400);
      expectErrorShape(response, 'validation.failed');
    });

    it('401 auth.unauthenticated and 401 auth.invalid_credentials', async () => {
      expectErrorShape(await app.http().get('/api/me').expect(401), 'auth.unauthenticated');
      const wrong = await app
        .http()
        .post('/api/auth/login')
        .send({ email: world.agent.email, password: 'wrong-password' })
        .expect(401);
      expectErrorShape(wrong, 'auth.invalid_credentials');
    });

    it('403 policy.forbidden', async () => {
      const response = await app
        .http()
        .patch('/api/org')
        .set(bearer(agentToken))
        .send({ name: 'Mine now' });
      expect(response.status).toBe(403);
      expectErrorShape(response, 'policy.forbidden');
    });

    it('404 not_found for an unknown route', async () => {
      const response = await app.http().get('/api/does-not-exist').set(bearer(agentToken));
      expect(response.status).toBe(404);
      expectErrorShape(response, 'not_found');
    });

    it('409 conflict for a duplicate e-mail (whatever its case)', async () => {
      const response = await app.http().post('/api/users').set(bearer(adminToken)).send({
        email: world.agent.email.toUpperCase(),
        name: 'Twin',
        role: 'agent',
        password: TEST_PASSWORD,
      });
      expect(response.status).toBe(409);
      expectErrorShape(response, 'conflict');
    });
  });

  describe('unknown fields are refused', () => {
    it.each([
      [
        'POST /api/auth/login',
        'post',
        '/api/auth/login',
        { email: 'a@b.c', password: 'x', admin: true },
      ],
      ['PATCH /api/org', 'patch', '/api/org', { name: 'Ok', maturityLevel: 3 }],
      [
        'PUT /api/me/availability',
        'put',
        '/api/me/availability',
        { available: true, role: 'admin' },
      ],
    ] as const)('%s', async (_label, method, url, body) => {
      const response = await app.http()[method](url).set(bearer(adminToken)).send(body);
      expect(response.status).toBe(400);
      expectErrorShape(response, 'validation.failed');
      const known = ['email', 'password', 'name', 'available'];
      expect(response.body.details.fields.filter((f: string) => !known.includes(f)).length).toBe(1);
    });

    it('nothing is written when a request is refused', async () => {
      const before = (await app.http().get('/api/org').set(bearer(adminToken))).body;
      await app
        .http()
        .patch('/api/org')
        .set(bearer(adminToken))
        .send({ name: 'Changed', bogus: 1 })
        .expect(400);
      expect((await app.http().get('/api/org').set(bearer(adminToken))).body).toEqual(before);
    });
  });

  describe('collections and keyset paging', () => {
    it('pages users with nextCursor until the end, without gaps or repeats', async () => {
      for (let i = 0; i < 5; i += 1) await newUser(db, world.organisation, { role: 'agent' });
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const response: { body: { items: { id: string }[]; nextCursor: string | null } } = await app
          .http()
          .get('/api/users')
          .query({ limit: 4, ...(cursor ? { cursor } : {}) })
          .set(bearer(adminToken))
          .expect(200);
        expect(Object.keys(response.body).sort()).toEqual(['items', 'nextCursor']);
        seen.push(...response.body.items.map((u: { id: string }) => u.id));
        cursor = response.body.nextCursor;
        pages += 1;
      } while (cursor && pages < 10);
      const all = await db.query('SELECT id FROM users WHERE organisation_id = $1', [
        world.organisation.id,
      ]);
      expect(seen.sort()).toEqual(all.map((r: { id: string }) => r.id).sort());
      expect(pages).toBe(Math.ceil(all.length / 4));
    });

    it.each([
      ['a limit over 200', { limit: 201 }, 'limit'],
      ['a limit of 0', { limit: 0 }, 'limit'],
      ['a limit that is not a number', { limit: 'many' }, 'limit'],
      ['a cursor the API never issued', { cursor: 'eyJuYW1lIjoiYSJ9.forged' }, 'cursor'],
      ['garbage as cursor', { cursor: '%%%' }, 'cursor'],
    ])('400 for %s', async (_label, query, field) => {
      const response = await app.http().get('/api/users').query(query).set(bearer(adminToken));
      expect(response.status).toBe(400);
      expectErrorShape(response, 'validation.failed');
      expect(response.body.details.fields).toEqual([field]);
    });

    it('gives other roles the directory form only', async () => {
      const response = await app.http().get('/api/users').set(bearer(agentToken)).expect(200);
      for (const item of response.body.items) {
        expect(Object.keys(item).sort()).toEqual(['available', 'id', 'initials', 'name', 'role']);
      }
    });
  });

  describe('organisation scoping', () => {
    it('answers 404 for another organisation’s user, exactly as for one that does not exist', async () => {
      const other = await newStaffedOrganisation(db);
      const foreign = await app
        .http()
        .patch(`/api/users/${other.agent.id}`)
        .set(bearer(adminToken))
        .send({ capacity: 1 });
      const missing = await app
        .http()
        .patch(`/api/users/${randomUUID()}`)
        .set(bearer(adminToken))
        .send({ capacity: 1 });
      expect(foreign.status).toBe(404);
      expect(foreign.body).toEqual(missing.body);
      const untouched = await db.query('SELECT capacity FROM users WHERE id = $1', [
        other.agent.id,
      ]);
      expect(untouched).toEqual([{ capacity: 10 }]);
    });

    it('answers 404 for an id that is not a UUID, but 400 first when the body is bad too', async () => {
      const notUuid = await app
        .http()
        .patch('/api/users/42')
        .set(bearer(adminToken))
        .send({ capacity: 1 });
      expect(notUuid.status).toBe(404);
      expectErrorShape(notUuid, 'not_found');
      const both = await app
        .http()
        .patch('/api/users/42')
        .set(bearer(adminToken))
        .send({ capacity: -1 });
      expect(both.status).toBe(400);
    });

    it('lists only the caller’s own organisation', async () => {
      const other = await newStaffedOrganisation(db);
      const response = await app
        .http()
        .get('/api/users')
        .query({ limit: 200 })
        .set(bearer(adminToken))
        .expect(200);
      const ids = response.body.items.map((u: { id: string }) => u.id);
      expect(ids).toContain(world.agent.id);
      expect(ids).not.toContain(other.agent.id);
      const org = await app.http().get('/api/org').set(bearer(adminToken)).expect(200);
      expect(org.body.id).toBe(world.organisation.id);
    });
  });

  describe('OpenAPI', () => {
    it('serves the document generated from the code and the Swagger UI, without a token', async () => {
      const json = await app.http().get('/api/docs-json').expect(200);
      expect(json.body.openapi).toMatch(/^3\./);
      for (const path of [
        '/api/auth/login',
        '/api/me',
        '/api/org',
        '/api/users',
        '/api/users/{id}',
        '/api/health',
        '/api/channels/{id}/quarantine',
        '/api/channels/{id}/quarantine/{itemId}/retry',
        '/api/channels/{id}/quarantine/{itemId}/discard',
      ]) {
        expect(Object.keys(json.body.paths)).toContain(path);
      }
      expect(json.body.components.schemas.CreateUserDto.required).toEqual(
        expect.arrayContaining(['email', 'name', 'role', 'password']),
      );
      const ui = await app.http().get('/api/docs').redirects(1);
      expect(ui.status).toBe(200);
      expect(ui.text).toContain('swagger');
    });
  });
});
