import { EventPublisher, RedisConnections } from '@toonbank/platform';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { closeTestDatabase, testDatabase } from '../support/database';
import { newStaffedOrganisation } from '../support/factories';
import { PrivateRedis } from '../support/private-redis';
import { connectInbox, sleep, type InboxClient } from '../support/socket-client';
import { signIn, startTestApp, type TestApp } from '../support/test-app';
import { uniqueRedisPrefix } from '../support/test-worker';

const CONVERSATION_ID = '00000000-0000-4000-8000-000000000000';

/**
 * ISSUE 13 item 6: a Redis restart under a stream of live events. The api's subscriber comes
 * back a moment after Redis does, and what the worker published meanwhile is gone; the
 * sockets stayed connected, so the api tells them to read again (`resync`).
 * A private redis-server: the shared one is never restarted.
 */
describe('live events across a Redis restart', () => {
  const prefix = uniqueRedisPrefix('resync');
  let redis: PrivateRedis;
  let db: DataSource;
  let app: TestApp;
  let publisherConnection: Redis;
  let publisher: EventPublisher;

  beforeAll(async () => {
    db = await testDatabase();
    redis = await PrivateRedis.start();
    app = await startTestApp({ REDIS_PREFIX: prefix, REDIS_URL: redis.url });
    // What the worker does: the same publisher, on a connection of its own.
    publisherConnection = new Redis(redis.url, { maxRetriesPerRequest: null });
    publisherConnection.on('error', () => undefined);
    publisher = new EventPublisher(publisherConnection, { prefix } as RedisConnections);
  });
  afterAll(async () => {
    if (!redis.running) await redis.restart();
    publisherConnection.disconnect();
    await app.close();
    await redis.stop();
    await closeTestDatabase();
  });

  /** The numbers of the stream's events a client received, in order. */
  const numbersReceived = (client: InboxClient, from = 0) =>
    client.received
      .slice(from)
      .filter((r) => r.event === 'notification')
      .map((r) => Number((r.payload as { text: string }).text));

  it('sends resync to sockets that stayed connected, once their subscription is back', async () => {
    const w = await newStaffedOrganisation(db, { routingStrategy: 'manual' });
    const client = await connectInbox(app, await signIn(app, w.agent));
    let published = 0;
    let streaming = true;
    const stream = (async () => {
      while (streaming) {
        published += 1;
        publisher.toUser(w.agent.id, 'notification', {
          type: 'mention',
          conversationId: CONVERSATION_ID,
          text: String(published),
        });
        await sleep(2);
      }
    })();

    while (numbersReceived(client).length < 50) await sleep(20);
    expect(client.payloadsOf('resync')).toEqual([]);
    await redis.kill();
    await sleep(1000);
    await redis.restart();

    expect(await client.nextEvent('resync', 20_000)).toEqual({ reason: 'redis_reconnected' });
    // Published before the client had its resync, an event may be lost: the client's re-read,
    // which the resync starts, shows what it said. Published after it, none may be.
    const publishedBeforeResync = published;
    await sleep(1000);
    streaming = false;
    await stream;
    const last = published;
    const deadline = Date.now() + 10_000;
    while (numbersReceived(client).at(-1) !== last && Date.now() < deadline) await sleep(20);

    expect(client.connected).toBe(true);
    expect(client.disconnectReason).toBeNull();
    // After the resync nothing is missed: every event published after it, to the last.
    const after = numbersReceived(client).filter((n) => n > publishedBeforeResync);
    expect(last - publishedBeforeResync).toBeGreaterThan(50);
    expect(after).toEqual(
      Array.from({ length: last - publishedBeforeResync }, (_, i) => publishedBeforeResync + 1 + i),
    );
    // One outage, one resync.
    expect(client.payloadsOf('resync')).toHaveLength(1);
  }, 60_000);
});
