// The admins' queue dashboard (Bull Board at /api/admin/queues): served only to the admins of
// the operator's organisation (QUEUE_DASHBOARD_ORG), opened with a short-lived HttpOnly ticket
// cookie that POST /api/admin/queue-dashboard/session hands to a signed-in admin, read-only,
// and checked against a live session on every request. Against the real PostgreSQL and Redis.
import { JobName, QueueName } from '@toonbank/shared';
import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { QueueDashboard } from '../../apps/api/src/queue-dashboard/queue-dashboard';
import { closeTestDatabase, testDatabase } from '../support/database';
import { newStaffedOrganisation } from '../support/factories';
import { bearer, signIn, startTestApp, type TestApp } from '../support/test-app';
import { queueOn, removeQueues, uniqueRedisPrefix } from '../support/test-worker';

type Staffed = Awaited<ReturnType<typeof newStaffedOrganisation>>;

const refusal = (statusCode: number, code: string) => ({
  statusCode,
  code,
  message: expect.any(String),
});

describe('the queue dashboard, for the operator’s organisation', () => {
  const prefix = uniqueRedisPrefix('dashboard');
  let db: DataSource;
  let app: TestApp;
  let operator: Staffed;
  let tenant: Staffed;
  let routing: Queue;

  beforeAll(async () => {
    db = await testDatabase();
    operator = await newStaffedOrganisation(db);
    tenant = await newStaffedOrganisation(db);
    app = await startTestApp({
      REDIS_PREFIX: prefix,
      QUEUE_DASHBOARD_ORG: operator.organisation.slug,
    });
    routing = queueOn(prefix, QueueName.Routing);
  });
  afterAll(async () => {
    await app.close();
    await routing.close();
    await removeQueues(prefix);
    await closeTestDatabase();
  });

  /** The admin's cookie header, as the browser would send it back. */
  const openAs = async (token: string) => {
    const response = await app.http().post('/api/admin/queue-dashboard/session').set(bearer(token));
    const cookie = ([] as string[]).concat(response.headers['set-cookie'] ?? [])[0];
    return { response, cookie, header: cookie?.split(';')[0] };
  };

  it('hands an admin of the operator’s organisation a ten-minute HttpOnly cookie for the dashboard’s path', async () => {
    const { response, cookie } = await openAs(await signIn(app, operator.admin));
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ url: '/api/admin/queues/', expiresAt: expect.any(String) });
    const minutes = (new Date(response.body.expiresAt as string).getTime() - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(9);
    expect(minutes).toBeLessThanOrEqual(10);
    expect(cookie).toMatch(/^toonbank_queue_dashboard=[\w-]+\.[\w-]+;/);
    expect(cookie).toContain('Path=/api/admin/queues');
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Max-Age=600');
  });

  it('serves Bull Board with that cookie: the page, and every queue read-only', async () => {
    await routing.add(JobName.RoutingSweep, {});
    const { header } = await openAs(await signIn(app, operator.admin));
    const page = await app.http().get('/api/admin/queues/').set('Cookie', header!);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    // The api's own policy (helmet): Bull Board loads only its files; inline styles are allowed.
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['content-security-policy']).toContain("script-src 'self';");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['cache-control']).toBe('no-store');
    const script = /src="(static\/js\/main\.[\w.]+\.js)"/.exec(page.text)?.[1];
    expect(script).toBeDefined();
    await app.http().get(`/api/admin/queues/${script}`).set('Cookie', header!).expect(200);
    const api = await app
      .http()
      .get('/api/admin/queues/api/queues?activeQueue=routing&status=waiting')
      .set('Cookie', header!);
    expect(api.status).toBe(200);
    const queues = api.body.queues as {
      name: string;
      readOnlyMode: boolean;
      counts: Record<string, number>;
    }[];
    expect(queues.map((queue) => queue.name).sort()).toEqual(Object.values(QueueName).sort());
    expect(queues.every((queue) => queue.readOnlyMode)).toBe(true);
    expect(queues.find((queue) => queue.name === 'routing')?.counts.waiting).toBe(1);
  });

  it('refuses every action: the dashboard is read-only', async () => {
    const { header } = await openAs(await signIn(app, operator.admin));
    for (const [method, path] of [
      ['put', '/api/admin/queues/api/queues/routing/pause'],
      ['put', '/api/admin/queues/api/queues/routing/clean/failed'],
      ['post', '/api/admin/queues/api/queues/routing/add'],
    ] as const) {
      const response = await app.http()[method](path).set('Cookie', header!);
      expect({ path, status: response.status, body: response.body }).toEqual({
        path,
        status: 403,
        body: refusal(403, 'policy.forbidden'),
      });
    }
    expect(await routing.isPaused()).toBe(false);
  });

  it('answers 401 without the cookie, with a forged one, with a bearer token instead', async () => {
    const token = await signIn(app, operator.admin);
    const { header } = await openAs(token);
    const forged = `${header!.slice(0, -3)}abc`;
    for (const headers of [
      {},
      { Cookie: forged },
      bearer(token),
      { Cookie: `toonbank_queue_dashboard=${token}` },
    ]) {
      const response = await app.http().get('/api/admin/queues/api/queues').set(headers);
      expect(response.status).toBe(401);
      expect(response.body).toEqual(refusal(401, 'auth.unauthenticated'));
    }
  });

  it('stops opening once the session that got the ticket has signed out', async () => {
    const token = await signIn(app, operator.admin);
    const { header } = await openAs(token);
    await app.http().get('/api/admin/queues/api/queues').set('Cookie', header!).expect(200);
    await app.http().post('/api/auth/logout').set(bearer(token)).expect(200);
    const response = await app.http().get('/api/admin/queues/api/queues').set('Cookie', header!);
    expect(response.status).toBe(401);
  });

  it('is for admins only (403 policy.forbidden), and only the operator’s (404 elsewhere)', async () => {
    for (const user of [operator.teamLead, operator.agent]) {
      const { response, cookie } = await openAs(await signIn(app, user));
      expect(response.status).toBe(403);
      expect(response.body).toEqual(refusal(403, 'policy.forbidden'));
      expect(cookie).toBeUndefined();
    }
    const elsewhere = await openAs(await signIn(app, tenant.admin));
    expect(elsewhere.response.status).toBe(404);
    expect(elsewhere.response.body).toEqual(refusal(404, 'not_found'));
    expect(elsewhere.cookie).toBeUndefined();
  });

  it('refuses a valid ticket of someone who may not see it (another organisation, a demoted admin)', async () => {
    const tickets = app.app.get(QueueDashboard).tickets;
    const token = await signIn(app, tenant.admin);
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as {
      sub: string;
      org: string;
      sid: string;
    };
    const { ticket } = tickets.issue({ sub: claims.sub, org: claims.org, sid: claims.sid });
    const response = await app
      .http()
      .get('/api/admin/queues/api/queues')
      .set('Cookie', `toonbank_queue_dashboard=${ticket}`);
    expect(response.status).toBe(403);
    expect(response.body).toEqual(refusal(403, 'policy.forbidden'));
  });
});

describe('the queue dashboard without QUEUE_DASHBOARD_ORG', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
    await closeTestDatabase();
  });

  it('does not exist: 404 for the ticket and for the dashboard', async () => {
    const world = await newStaffedOrganisation(await testDatabase());
    const response = await app
      .http()
      .post('/api/admin/queue-dashboard/session')
      .set(bearer(await signIn(app, world.admin)));
    expect(response.status).toBe(404);
    expect(response.body).toEqual(refusal(404, 'not_found'));
    const page = await app.http().get('/api/admin/queues/');
    expect(page.status).toBe(404);
    expect(page.body).toMatchObject({ code: 'not_found' });
  });
});
