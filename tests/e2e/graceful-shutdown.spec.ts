// Graceful shutdown of the built processes (issue 7, Operations). The api: on SIGTERM readiness
// turns 503 while it still serves for SHUTDOWN_DELAY_SECONDS, then it stops listening, closes
// its sockets, answers the request in flight and exits 0 within the grace period. The worker:
// a job running when SIGTERM arrives finishes (the reply is posted once and recorded), and the
// worker exits 0 once it has. (`npm test` builds before running Jest.)
import type { ChildProcess } from 'node:child_process';
import { request, type IncomingMessage } from 'node:http';
import { MastodonPeer } from '@toonbank/channels/testing';
import { ReplyEntity } from '@toonbank/database';
import { GRACE_MS } from '@toonbank/platform';
import { QueueName, type LoginResponse } from '@toonbank/shared';
import type { DataSource } from 'typeorm';
import { exitOf, startBuiltStack, type BuiltStack } from '../support/built-stack';
import { closeTestDatabase, testDatabase } from '../support/database';
import { newStaffedOrganisation, TEST_PASSWORD } from '../support/factories';
import { connectMastodon, pollToConversation, writeReply } from '../support/mastodon-channel';
import { connectInbox, sleep } from '../support/socket-client';
import { signIn, startTestApp, type TestApp } from '../support/test-app';
import {
  queueOn,
  removeQueues,
  spawnBuiltWorker,
  uniqueRedisPrefix,
  workerListening,
} from '../support/test-worker';

const DELAY_SECONDS = 2;

/** Asks `check` every 100 ms until it is true; fails after timeoutMs. */
async function until(what: string, check: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await sleep(100);
  }
}

const statusOf = (url: string) =>
  fetch(url, { signal: AbortSignal.timeout(2000) }).then(
    (response) => response.status,
    () => null, // refused: nobody listens
  );

describe('the built api stopping on SIGTERM', () => {
  let stack: BuiltStack;

  beforeAll(async () => {
    stack = await startBuiltStack('shutdown', { SHUTDOWN_DELAY_SECONDS: String(DELAY_SECONDS) });
  }, 45_000);
  afterAll(async () => {
    await stack?.stop();
    await closeTestDatabase();
  });

  it('turns not ready, then stops listening, closes its sockets, answers the request in flight and exits 0', async () => {
    const world = await newStaffedOrganisation(await testDatabase());
    const credentials = JSON.stringify({ email: world.agent.email, password: TEST_PASSWORD });
    const signedIn = await fetch(`${stack.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: credentials,
    });
    const { accessToken } = (await signedIn.json()) as LoginResponse;
    const inbox = await connectInbox(stack, accessToken);
    expect(await statusOf(`${stack.url}/api/health/ready`)).toBe(200);

    // A sign-in whose body is still on its way when the signal comes: a request in flight.
    const slow = request({
      host: '127.0.0.1',
      port: stack.port,
      path: '/api/auth/login',
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(credentials),
      },
    });
    const answered = new Promise<{ status: number; body: string }>((resolve, reject) => {
      slow.once('response', (response: IncomingMessage) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.once('end', () => resolve({ status: response.statusCode ?? 0, body }));
      });
      slow.once('error', reject);
    });
    slow.write(credentials.slice(0, 10));
    await sleep(300);

    const signalled = Date.now();
    stack.api.kill('SIGTERM');
    // Still serving, but not ready: a load balancer stops sending new work.
    await until(
      'readiness 503',
      async () => (await statusOf(`${stack.url}/api/health/ready`)) === 503,
      1500,
    );
    expect(await statusOf(`${stack.url}/api/health/live`)).toBe(200);
    expect(inbox.connected).toBe(true);

    // After the delay: the socket is closed by the server and nobody listens any more...
    await until('the socket closed', async () => !inbox.connected, DELAY_SECONDS * 1000 + 3000);
    expect(inbox.disconnectReason).toMatch(/io server disconnect|transport close/);
    await until(
      'the listener closed',
      async () => (await statusOf(`${stack.url}/api/health/live`)) === null,
      3000,
    );
    expect(Date.now() - signalled).toBeGreaterThanOrEqual(DELAY_SECONDS * 1000 - 100);
    expect(stack.api.exitCode).toBeNull(); // ...but the request in flight holds the process

    // ...and the request in flight is answered in full.
    slow.end(credentials.slice(10));
    const response = await answered;
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ accessToken: expect.any(String) });

    expect(await exitOf(stack.api)).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(GRACE_MS);
    expect(stack.output.join('')).toContain('SIGTERM received: stopping');
  }, 40_000);
});

describe('the built worker stopping on SIGTERM while a job runs', () => {
  const prefix = uniqueRedisPrefix('shutdown-worker');
  let db: DataSource;
  let app: TestApp;
  let worker: ChildProcess | undefined;
  let peer: MastodonPeer | undefined;

  beforeAll(async () => {
    db = await testDatabase();
    app = await startTestApp({ REDIS_PREFIX: prefix });
  });
  afterAll(async () => {
    if (worker?.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
    await app.close();
    await peer?.close();
    await removeQueues(prefix);
    await closeTestDatabase();
  });

  it('finishes the job (the reply is posted once and recorded as sent), then exits 0', async () => {
    const token = 'shutdown-token';
    peer = await new MastodonPeer({ accessToken: token }).start();
    peer.mention({ text: 'Mijn stroom is uitgevallen' });
    const w = await newStaffedOrganisation(db, { maturityLevel: 2, routingStrategy: 'manual' });
    const admin = await signIn(app, w.admin);
    worker = spawnBuiltWorker(prefix);
    await workerListening(prefix);
    const channelId = await connectMastodon(app, admin, peer, token);
    const conversation = await pollToConversation(app, db, admin, channelId);

    // The channel takes the post but holds its answer: the job is running when SIGTERM comes.
    const held = peer.server.holdNextAnswer(
      (r) => r.method === 'POST' && r.path === '/api/v1/statuses',
    );
    const replyId = await writeReply(app, admin, conversation.id);
    await held.arrived;
    const signalled = Date.now();
    worker.kill('SIGTERM');
    await sleep(1500);
    expect(worker.exitCode).toBeNull(); // waiting for its job, not walking away from it
    held.release();

    expect(await exitOf(worker)).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(GRACE_MS);
    const row = await db.getRepository(ReplyEntity).findOneByOrFail({ id: replyId });
    expect(row).toMatchObject({
      status: 'sent',
      attempts: 1,
      externalId: peer.posted[0]!.status.id,
    });
    expect(peer.posted).toHaveLength(1);
    const outbound = queueOn(prefix, QueueName.Outbound);
    try {
      expect(await outbound.getJobCounts('active', 'waiting', 'failed')).toEqual({
        active: 0,
        waiting: 0,
        failed: 0,
      });
    } finally {
      await outbound.close();
    }
  }, 60_000);
});
