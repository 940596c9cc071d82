// GET /metrics (API.md §Conventions and §Health and metrics) of the api and of the worker's own
// listener, against the real PostgreSQL and Redis: who may read it (METRICS_TOKEN as a bearer
// token, else loopback callers only, never through a proxy), and that each metric moves when
// the thing it measures happens: HTTP requests by route template, sockets, queue depths read
// from BullMQ, job durations, ingest counts and lag, reply latency.
import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { MastodonPeer } from '@toonbank/channels/testing';
import { ReplyEntity } from '@toonbank/database';
import { Metrics } from '@toonbank/platform';
import { JobName, QueueName } from '@toonbank/shared';
import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { WorkerMetricsServer } from '../../apps/worker/src/metrics-server';
import { closeTestDatabase, testDatabase } from '../support/database';
import { newStaffedOrganisation } from '../support/factories';
import { connectMastodon, pollToConversation, writeReply } from '../support/mastodon-channel';
import { sample } from '../support/metrics';
import { closeAllInboxClients, connectInbox, sleep } from '../support/socket-client';
import { bearer, signIn, startTestApp, type TestApp } from '../support/test-app';
import {
  drained,
  queueOn,
  removeQueues,
  startTestWorker,
  uniqueRedisPrefix,
  withEnv,
} from '../support/test-worker';

const TOKEN = 'metrics-token-for-the-test-0123456789';

const scrape = async (url: string, headers: Record<string, string> = {}) => {
  const response = await fetch(`${url}/metrics`, { headers });
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    text: await response.text(),
  };
};

describe('GET /metrics of the api, on loopback without METRICS_TOKEN', () => {
  const prefix = uniqueRedisPrefix('metrics');
  let app: TestApp;
  const queues: Queue[] = [];

  beforeAll(async () => {
    app = await startTestApp({ REDIS_PREFIX: prefix });
    for (const name of Object.values(QueueName)) queues.push(queueOn(prefix, name));
  });
  afterEach(() => closeAllInboxClients());
  afterAll(async () => {
    await app.close();
    for (const queue of queues) await queue.close();
    await removeQueues(prefix);
    await closeTestDatabase();
  });

  it('answers Prometheus text with the process metrics, to a loopback caller', async () => {
    const { status, type, text } = await scrape(app.url);
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/plain;.*version=0\.0\.4/);
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(sample(text, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(text).toContain('# TYPE toonbank_http_request_duration_seconds histogram');
  });

  it('times HTTP requests by method, route template and status, never by the raw URL', async () => {
    const id = randomUUID();
    await app.http().get(`/api/conversations/${id}`).expect(401);
    await app.http().get(`/api/no-such-route/${id}`).expect(404);
    const { text } = await scrape(app.url);
    const count = (route: string, status: string) =>
      sample(text, 'toonbank_http_request_duration_seconds_count', {
        method: 'GET',
        route,
        status,
      });
    expect(count('/api/conversations/:id', '401')).toBe(1);
    // An unknown /api path ends in the API's catch-all 404 (its template), anything else is "unmatched".
    expect(count('/api/{*path}', '404')).toBeGreaterThanOrEqual(1);
    await app.http().get(`/no-such-page/${id}`).expect(404);
    expect(
      sample((await scrape(app.url)).text, 'toonbank_http_request_duration_seconds_count', {
        method: 'GET',
        route: 'unmatched',
        status: '404',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain(id);
    expect(text).not.toContain('no-such-route');
  });

  it('counts the sockets this api process holds', async () => {
    const db = await testDatabase();
    const world = await newStaffedOrganisation(db);
    const before = sample((await scrape(app.url)).text, 'toonbank_socket_connections');
    const client = await connectInbox(app, await signIn(app, world.agent));
    expect(sample((await scrape(app.url)).text, 'toonbank_socket_connections')).toBe(before! + 1);
    client.close();
    await sleep(200);
    expect(sample((await scrape(app.url)).text, 'toonbank_socket_connections')).toBe(before);
  });

  it('reads every queue’s depth per state from BullMQ at each scrape', async () => {
    const routing = queues.find((queue) => queue.name === QueueName.Routing)!;
    await routing.add(JobName.RoutingSweep, {});
    await routing.add(JobName.RoutingSweep, {});
    await routing.add(JobName.RoutingSweep, {}, { delay: 60_000 });
    const { text } = await scrape(app.url);
    expect(sample(text, 'toonbank_queue_jobs', { queue: 'routing', state: 'waiting' })).toBe(2);
    expect(sample(text, 'toonbank_queue_jobs', { queue: 'routing', state: 'delayed' })).toBe(1);
    for (const queue of Object.values(QueueName)) {
      for (const state of ['waiting', 'active', 'delayed', 'failed']) {
        expect({
          queue,
          state,
          value: sample(text, 'toonbank_queue_jobs', { queue, state }),
        }).toEqual({
          queue,
          state,
          value: expect.any(Number),
        });
      }
    }
  });

  it('refuses a request that a proxy forwarded (403 policy.forbidden), even from loopback', async () => {
    const response = await app.http().get('/metrics').set('X-Forwarded-For', '203.0.113.7');
    expect(response.status).toBe(403);
    expect(response.body).toEqual({
      statusCode: 403,
      code: 'policy.forbidden',
      message: expect.any(String),
    });
  });
});

describe('GET /metrics of the api with METRICS_TOKEN', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ METRICS_TOKEN: TOKEN, TRUST_PROXY_HOPS: '1' });
  });
  afterAll(async () => {
    await app.close();
    await closeTestDatabase();
  });

  it('wants the token as a bearer token, from loopback too (401 auth.unauthenticated)', async () => {
    for (const headers of [{}, bearer('wrong-token'), { Authorization: `Basic ${TOKEN}` }]) {
      const response = await app.http().get('/metrics').set(headers);
      expect(response.status).toBe(401);
      expect(response.body).toEqual({
        statusCode: 401,
        code: 'auth.unauthenticated',
        message: expect.any(String),
      });
    }
  });

  it('answers the right token, also through a trusted proxy', async () => {
    const direct = await scrape(app.url, bearer(TOKEN));
    expect(direct.status).toBe(200);
    const proxied = await scrape(app.url, { ...bearer(TOKEN), 'X-Forwarded-For': '203.0.113.7' });
    expect(proxied.status).toBe(200);
  });
});

describe('the worker’s metrics listener (WORKER_METRICS_PORT)', () => {
  const prefix = uniqueRedisPrefix('wm');
  let db: DataSource;
  let app: TestApp;
  let worker: INestApplicationContext;
  let listener: WorkerMetricsServer;
  const queues: Queue[] = [];
  const peers: { close(): Promise<void> }[] = [];

  beforeAll(async () => {
    db = await testDatabase();
    app = await startTestApp({ REDIS_PREFIX: prefix });
    worker = await startTestWorker(prefix, { WORKER_METRICS_PORT: '0' });
    listener = (await withEnv({ WORKER_METRICS_PORT: '0' }, () =>
      WorkerMetricsServer.start(worker),
    ))!;
    for (const name of Object.values(QueueName)) queues.push(queueOn(prefix, name));
  });
  afterAll(async () => {
    await listener?.close();
    await app.close();
    await worker.close();
    for (const peer of peers) await peer.close();
    for (const queue of queues) await queue.close();
    await removeQueues(prefix);
    await closeTestDatabase();
  });
  const workerUrl = () => `http://127.0.0.1:${listener.port}`;

  it('serves GET /metrics on loopback and nothing else', async () => {
    expect((await scrape(workerUrl())).status).toBe(200);
    const other = await fetch(`${workerUrl()}/api/health`);
    expect(other.status).toBe(404);
    expect(await other.json()).toMatchObject({ statusCode: 404, code: 'not_found' });
    const forwarded = await fetch(`${workerUrl()}/metrics`, {
      headers: { 'X-Forwarded-For': '203.0.113.7' },
    });
    expect(forwarded.status).toBe(403);
    expect(await forwarded.json()).toMatchObject({ statusCode: 403, code: 'policy.forbidden' });
  });

  it('measures a poll, its ingest and a reply sent: job durations, ingest count and lag, reply latency', async () => {
    const staffed = await newStaffedOrganisation(db, {
      maturityLevel: 2,
      routingStrategy: 'manual',
    });
    const admin = await signIn(app, staffed.admin);
    const lead = await signIn(app, staffed.teamLead);
    const peer = await new MastodonPeer({ accessToken: 'metrics-token' }).start();
    peers.push(peer);
    const channelId = await connectMastodon(app, admin, peer, 'metrics-token');
    for (const queue of queues) await drained(queue);

    // Posted at the channel 90 seconds ago: that is the lag the ingest reports.
    peer.mention({
      acct: 'ana@other.example',
      text: 'Mijn stroom is uitgevallen',
      createdAt: new Date(Date.now() - 90_000),
    });
    const conversation = await pollToConversation(app, db, admin, channelId);
    const replyId = await writeReply(app, lead, conversation.id);
    const deadline = Date.now() + 20_000;
    while (
      (await db.getRepository(ReplyEntity).findOneByOrFail({ id: replyId })).status === 'queued'
    ) {
      if (Date.now() > deadline) throw new Error('the reply was not sent');
      await sleep(100);
    }
    // `sent` is committed before the job's handler returns (the events follow the commit), and
    // the job's duration is measured when it has returned.
    await drained(queues.find((queue) => queue.name === QueueName.Outbound)!);

    const { text } = await scrape(workerUrl());
    expect(
      sample(text, 'toonbank_ingest_messages_total', {
        provider: 'mastodon',
        channel_account: channelId,
      }),
    ).toBe(1);
    expect(sample(text, 'toonbank_ingest_lag_seconds_count', { provider: 'mastodon' })).toBe(1);
    const lag = sample(text, 'toonbank_ingest_lag_seconds_sum', { provider: 'mastodon' })!;
    expect(lag).toBeGreaterThanOrEqual(90);
    expect(lag).toBeLessThan(150);
    expect(sample(text, 'toonbank_reply_latency_seconds_count', { provider: 'mastodon' })).toBe(1);
    const jobs = (name: string, queue: string) =>
      sample(text, 'toonbank_job_duration_seconds_count', { queue, name, outcome: 'completed' });
    expect(jobs(JobName.IngestBatch, QueueName.Ingest)).toBeGreaterThanOrEqual(1);
    expect(jobs(JobName.OutboundSend, QueueName.Outbound)).toBe(1);
    expect(jobs(JobName.PollChannel, QueueName.Polling)).toBeGreaterThanOrEqual(1);
    // The worker measures what it does; the api's registry is another one.
    expect(worker.get(Metrics)).not.toBe(app.app.get(Metrics));
  }, 40_000);
});

describe('the worker’s metrics listener with METRICS_TOKEN', () => {
  let worker: INestApplicationContext;
  let listener: WorkerMetricsServer;
  beforeAll(async () => {
    const env = { WORKER_METRICS_PORT: '0', METRICS_TOKEN: TOKEN };
    worker = await startTestWorker(uniqueRedisPrefix('wm-token'), env);
    listener = (await withEnv(env, () => WorkerMetricsServer.start(worker)))!;
  });
  afterAll(async () => {
    await listener?.close();
    await worker?.close();
    await closeTestDatabase();
  });

  it('answers 401 without the token and 200 with it', async () => {
    const url = `http://127.0.0.1:${listener.port}`;
    const refused = await fetch(`${url}/metrics`);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({
      statusCode: 401,
      code: 'auth.unauthenticated',
      message: expect.any(String),
    });
    expect((await scrape(url, bearer(TOKEN))).status).toBe(200);
  });
});

describe('without WORKER_METRICS_PORT', () => {
  it('the worker opens no listener', async () => {
    const worker = await startTestWorker(uniqueRedisPrefix('wm-none'));
    try {
      expect(await WorkerMetricsServer.start(worker)).toBeNull();
    } finally {
      await worker.close();
      await closeTestDatabase();
    }
  });
});
