// At most 10 sockets per user across api processes (issue 11), counted in Redis: the
// eleventh handshake is refused with `rate_limited`, a disconnect gives the slot back, and
// the slots of a process that died without its disconnect handlers lapse with their lease.
import { REDIS, RedisConnections } from '@toonbank/platform';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { SOCKETS_PER_USER } from '../../apps/api/src/realtime/realtime.module';
import { SocketSlots } from '../../apps/api/src/realtime/socket-slots';
import { closeTestDatabase, testDatabase } from '../support/database';
import { newOrganisation, newUser } from '../support/factories';
import {
  closeAllInboxClients,
  connectInbox,
  EVENT_TIMEOUT_MS,
  handshakeRefusal,
  sleep,
  type InboxClient,
} from '../support/socket-client';
import { signIn, startTestApp, type TestApp } from '../support/test-app';

const TOO_MANY = {
  message: 'rate_limited',
  data: { reason: 'too_many_sockets', limit: SOCKETS_PER_USER },
};

describe('sockets per user', () => {
  let first: TestApp;
  let second: TestApp;
  let db: DataSource;
  let redis: Redis;
  let connections: RedisConnections;

  beforeAll(async () => {
    db = await testDatabase();
    [first, second] = await Promise.all([startTestApp(), startTestApp()]);
    redis = first.app.get<Redis>(REDIS);
    connections = first.app.get(RedisConnections);
  });
  afterEach(() => closeAllInboxClients());
  afterAll(async () => {
    closeAllInboxClients();
    await Promise.all([first.close(), second.close()]);
    await closeTestDatabase();
  });

  const newAgent = async () => {
    const organisation = await newOrganisation(db);
    const user = await newUser(db, organisation, { role: 'agent' });
    return { user, token: await signIn(first, user) };
  };
  const slotsHeld = (userId: string) => redis.zcard(connections.key('sockets', userId));
  /** Waits until Redis counts `n` sockets for the user (a disconnect is handled on the server's time). */
  const untilHeld = async (userId: string, n: number) => {
    const deadline = Date.now() + EVENT_TIMEOUT_MS;
    while ((await slotsHeld(userId)) !== n) {
      if (Date.now() > deadline) throw new Error(`the user still holds ${await slotsHeld(userId)}`);
      await sleep(20);
    }
  };

  it('refuses the eleventh socket with rate_limited, and takes one again after a disconnect', async () => {
    const { user, token } = await newAgent();
    const clients = await Promise.all(
      Array.from({ length: SOCKETS_PER_USER }, () => connectInbox(first, token)),
    );
    expect(await slotsHeld(user.id)).toBe(SOCKETS_PER_USER);
    expect(await handshakeRefusal(first, { token })).toEqual(TOO_MANY);
    // Another user is not affected.
    const other = await newAgent();
    await connectInbox(first, other.token);

    clients[0].close();
    await untilHeld(user.id, SOCKETS_PER_USER - 1);
    const again = await connectInbox(first, token);
    expect(again.connected).toBe(true);
    expect(await handshakeRefusal(first, { token })).toEqual(TOO_MANY);
  });

  it('a refused or failed handshake holds no slot', async () => {
    const { user, token } = await newAgent();
    await Promise.all(
      Array.from({ length: SOCKETS_PER_USER - 1 }, () => connectInbox(first, token)),
    );
    expect(await handshakeRefusal(first, { token: 'nonsense' })).toMatchObject({
      message: 'auth.unauthenticated',
    });
    await connectInbox(first, token);
    expect(await handshakeRefusal(first, { token })).toEqual(TOO_MANY);
    expect(await handshakeRefusal(first, { token })).toEqual(TOO_MANY);
    expect(await slotsHeld(user.id)).toBe(SOCKETS_PER_USER);
  });

  it('two api processes share the count, and a slot freed on one serves the other', async () => {
    const { user, token } = await newAgent();
    const onFirst: InboxClient[] = await Promise.all(
      Array.from({ length: 6 }, () => connectInbox(first, token)),
    );
    await Promise.all(Array.from({ length: 4 }, () => connectInbox(second, token)));
    expect(await handshakeRefusal(first, { token })).toEqual(TOO_MANY);
    expect(await handshakeRefusal(second, { token })).toEqual(TOO_MANY);

    onFirst[0].close();
    await untilHeld(user.id, SOCKETS_PER_USER - 1);
    await connectInbox(second, token);
    expect(await handshakeRefusal(first, { token })).toEqual(TOO_MANY);
  });

  it('a server-side disconnect (logout of the session) gives the slots back', async () => {
    const { user, token } = await newAgent();
    const clients = await Promise.all(
      Array.from({ length: SOCKETS_PER_USER }, () => connectInbox(first, token)),
    );
    expect(await slotsHeld(user.id)).toBe(SOCKETS_PER_USER);
    await first
      .http()
      .post('/api/auth/logout')
      .set({ Authorization: `Bearer ${token}` })
      .expect(200);
    for (const client of clients) await client.disconnection();
    await untilHeld(user.id, 0);
  });

  describe('leases (SocketSlots on the real Redis)', () => {
    const LEASE_MS = 1500;
    const slotsOf = (leaseMs = LEASE_MS) =>
      new SocketSlots(redis, {
        perUser: 2,
        leaseMs,
        keyOf: (userId) => connections.key('sockets', userId),
      });
    let made: SocketSlots[] = [];
    const make = (leaseMs?: number) => {
      const slots = slotsOf(leaseMs);
      made.push(slots);
      return slots;
    };
    afterEach(() => {
      for (const slots of made) slots.onModuleDestroy();
      made = [];
    });

    it('the slots of a process that died without releasing lapse with their lease', async () => {
      const userId = `lease-${Date.now()}-${Math.random()}`;
      const dead = make();
      expect(await dead.acquire(userId, 'a')).toEqual({ taken: true });
      expect(await dead.acquire(userId, 'b')).toEqual({ taken: true });
      dead.onModuleDestroy(); // no more renewals, no release: as after kill -9
      const alive = make();
      expect(await alive.acquire(userId, 'c')).toEqual({ taken: false, held: 2 });
      const lapsed = Date.now() + LEASE_MS;
      while (Date.now() < lapsed + 100) await sleep(100);
      expect(await alive.acquire(userId, 'c')).toEqual({ taken: true });
      expect(await redis.zrange(connections.key('sockets', userId), 0, -1)).toEqual(['c']);
    });

    it('a living process renews its leases: they outlast several lease times', async () => {
      const userId = `lease-${Date.now()}-${Math.random()}`;
      const alive = make();
      await alive.acquire(userId, 'a');
      await alive.acquire(userId, 'b');
      await sleep(LEASE_MS * 2.5);
      expect(await make().acquire(userId, 'c')).toEqual({ taken: false, held: 2 });
      alive.release(userId, 'a'); // on the same connection: it lands before the next command
      expect(await make().acquire(userId, 'c')).toEqual({ taken: true });
      // The key itself lapses with the last lease: nothing is left behind in Redis.
      expect(await redis.pttl(connections.key('sockets', userId))).toBeLessThanOrEqual(LEASE_MS);
    });
  });
});
