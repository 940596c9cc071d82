// The live inbox (API.md §Socket.io): the handshake is authenticated, a socket hears only its
// own organisation and its own user, the real API flows emit their events and drop sockets,
// and events cross API processes through the Redis adapter and emitter.
import { JwtService } from '@nestjs/jwt';
import { UserEntity } from '@toonbank/database';
import { EventPublisher } from '@toonbank/platform';
import type { OrganisationDto, UserDto } from '@toonbank/shared';
import type { DataSource } from 'typeorm';
import { closeTestDatabase, testDatabase } from '../support/database';
import { newStaffedOrganisation } from '../support/factories';
import {
  closeAllInboxClients,
  connectInbox,
  refusedConnection,
  sleep,
  SILENCE_MS,
  type InboxClient,
} from '../support/socket-client';
import { bearer, login, startTestApp, type TestApp } from '../support/test-app';

const REFUSED = 'auth.unauthenticated';
/** What AccessTokens checks besides the signature. */
const TOKEN_CHECKS = { issuer: 'toonbank', audience: 'toonbank-api' };

interface Claims {
  sub: string;
  org: string;
  sid: string;
  exp: number;
}
const claimsOf = (token: string): Claims =>
  JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()) as Claims;

describe('socket.io inbox', () => {
  let app: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    db = await testDatabase();
    app = await startTestApp();
  });
  afterEach(() => closeAllInboxClients());
  afterAll(async () => {
    closeAllInboxClients();
    await app.close();
    await closeTestDatabase();
  });

  /** Two organisations with their staff; everyone of interest signed in. */
  const setup = async () => {
    const a = await newStaffedOrganisation(db);
    const b = await newStaffedOrganisation(db);
    const [adminA, agentA, adminB] = await Promise.all([
      login(app, a.admin.email),
      login(app, a.agent.email),
      login(app, b.admin.email),
    ]);
    return { a, b, adminA, agentA, adminB };
  };

  describe('handshake', () => {
    it('accepts a valid access token', async () => {
      const { agentA } = await setup();
      const client = await connectInbox(app, agentA.accessToken);
      expect(client.connected).toBe(true);
    });

    it('refuses a missing, malformed, non-string, expired, forged or unsigned token', async () => {
      const { agentA } = await setup();
      const claims = claimsOf(agentA.accessToken);
      const appJwt = app.app.get(JwtService, { strict: false });
      // The app's own secret and claims of a live session: only the expiry is wrong.
      const expired = await appJwt.signAsync(
        { sub: claims.sub, org: claims.org, sid: claims.sid },
        { ...TOKEN_CHECKS, expiresIn: -60 },
      );
      // The token is otherwise right: it only expired a minute ago.
      const expiredClaims = claimsOf(expired);
      expect(expiredClaims).toMatchObject({ sub: claims.sub, org: claims.org, sid: claims.sid });
      expect(expiredClaims.exp * 1000).toBeLessThan(Date.now());
      await expect(appJwt.verifyAsync(expired, { ignoreExpiration: true })).resolves.toBeTruthy();
      const forged = await new JwtService({
        secret: 'another-secret-that-is-also-long-enough-0123456789',
      }).signAsync(
        { sub: claims.sub, org: claims.org, sid: claims.sid },
        { ...TOKEN_CHECKS, expiresIn: 900 },
      );
      const [, payload] = agentA.accessToken.split('.');
      const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`;
      const tampered = `${agentA.accessToken.slice(0, -4)}AAAA`;

      const handshakes: Record<string, Record<string, unknown> | undefined> = {
        'no auth at all': undefined,
        'no token': {},
        'an empty token': { token: '' },
        'a malformed token': { token: 'nonsense' },
        'a number': { token: 42 },
        'an expired token': { token: expired },
        'a token signed with another secret': { token: forged },
        'an unsigned (alg none) token': { token: unsigned },
        'a token with a tampered signature': { token: tampered },
      };
      const answers: Record<string, string> = {};
      for (const [what, auth] of Object.entries(handshakes)) {
        answers[what] = await refusedConnection(app, auth);
      }
      expect(answers).toEqual(Object.fromEntries(Object.keys(handshakes).map((k) => [k, REFUSED])));
      // The same user with the good token still gets in.
      await connectInbox(app, agentA.accessToken);
    });

    it("refuses a well-signed token whose claims mix one organisation's user with another's id", async () => {
      const { agentA, adminB } = await setup();
      const a = claimsOf(agentA.accessToken);
      const b = claimsOf(adminB.accessToken);
      const appJwt = app.app.get(JwtService, { strict: false });
      const mixed = await appJwt.signAsync({ sub: a.sub, org: b.org, sid: a.sid }, TOKEN_CHECKS);
      expect(await refusedConnection(app, { token: mixed })).toBe(REFUSED);
      const notUuids = await appJwt.signAsync({ sub: 'x', org: 'y', sid: 'z' }, TOKEN_CHECKS);
      expect(await refusedConnection(app, { token: notUuids })).toBe(REFUSED);
    });

    it("refuses a deactivated user's token", async () => {
      const { a, agentA } = await setup();
      await db.getRepository(UserEntity).update({ id: a.agent.id }, { active: false });
      expect(await refusedConnection(app, { token: agentA.accessToken })).toBe(REFUSED);
    });

    it("refuses the token of a session that has logged out, but not the user's other session", async () => {
      const { a, agentA } = await setup();
      const other = await login(app, a.agent.email);
      await app.http().post('/api/auth/logout').set(bearer(agentA.accessToken)).expect(200);
      expect(await refusedConnection(app, { token: agentA.accessToken })).toBe(REFUSED);
      await connectInbox(app, other.accessToken);
    });
  });

  describe('rooms: an organisation and a user', () => {
    it("delivers toOrganisation to every socket of that organisation and never to another's", async () => {
      const { a, adminA, agentA, adminB } = await setup();
      const [adminClient, agentClient, otherOrgClient] = await Promise.all([
        connectInbox(app, adminA.accessToken),
        connectInbox(app, agentA.accessToken),
        connectInbox(app, adminB.accessToken),
      ]);
      const payload = { id: a.organisation.id, name: 'Published' } as unknown as OrganisationDto;
      app.app.get(EventPublisher).toOrganisation(a.organisation.id, 'org.updated', payload);

      expect(await adminClient.nextEvent('org.updated')).toEqual(payload);
      expect(await agentClient.nextEvent('org.updated')).toEqual(payload);
      await sleep(SILENCE_MS);
      expect(otherOrgClient.received).toEqual([]);
      expect(adminClient.payloadsOf('org.updated')).toHaveLength(1);
    });

    it("delivers toUser to every socket of that user only, not to a colleague's", async () => {
      const { a, adminA, agentA, adminB } = await setup();
      const second = await login(app, a.agent.email);
      const [agentClient, agentSecondClient, adminClient, otherOrgClient] = await Promise.all([
        connectInbox(app, agentA.accessToken),
        connectInbox(app, second.accessToken),
        connectInbox(app, adminA.accessToken),
        connectInbox(app, adminB.accessToken),
      ]);
      const payload = { id: a.agent.id, available: false } as unknown as UserDto;
      app.app.get(EventPublisher).toUser(a.agent.id, 'user.updated', payload);

      expect(await agentClient.nextEvent('user.updated')).toEqual(payload);
      expect(await agentSecondClient.nextEvent('user.updated')).toEqual(payload);
      await sleep(SILENCE_MS);
      expect(adminClient.received).toEqual([]);
      expect(otherOrgClient.received).toEqual([]);
    });
  });

  describe('real flows', () => {
    it("PATCH /api/org emits org.updated to the organisation's sockets and not to another organisation", async () => {
      const { a, adminA, agentA, adminB } = await setup();
      const [adminClient, agentClient, otherOrgClient] = await Promise.all([
        connectInbox(app, adminA.accessToken),
        connectInbox(app, agentA.accessToken),
        connectInbox(app, adminB.accessToken),
      ]);
      const response = await app
        .http()
        .patch('/api/org')
        .set(bearer(adminA.accessToken))
        .send({ name: 'Renamed over the socket' })
        .expect(200);
      expect(response.body).toMatchObject({
        id: a.organisation.id,
        name: 'Renamed over the socket',
      });

      expect(await agentClient.nextEvent('org.updated')).toEqual(response.body);
      expect(await adminClient.nextEvent('org.updated')).toEqual(response.body);
      await sleep(SILENCE_MS);
      expect(otherOrgClient.received).toEqual([]);
    });

    it('PATCH /api/org without a change emits nothing', async () => {
      const { a, adminA } = await setup();
      const client = await connectInbox(app, adminA.accessToken);
      await app
        .http()
        .patch('/api/org')
        .set(bearer(adminA.accessToken))
        .send({ name: a.organisation.name })
        .expect(200);
      await sleep(SILENCE_MS);
      expect(client.received).toEqual([]);
    });

    it('PUT /api/me/availability emits user.updated to that user only', async () => {
      const { a, adminA, agentA, adminB } = await setup();
      const [agentClient, adminClient, otherOrgClient] = await Promise.all([
        connectInbox(app, agentA.accessToken),
        connectInbox(app, adminA.accessToken),
        connectInbox(app, adminB.accessToken),
      ]);
      const response = await app
        .http()
        .put('/api/me/availability')
        .set(bearer(agentA.accessToken))
        .send({ available: false })
        .expect(200);
      expect(response.body).toMatchObject({ id: a.agent.id, available: false });

      expect(await agentClient.nextEvent('user.updated')).toEqual(response.body);
      await sleep(SILENCE_MS);
      expect(adminClient.received).toEqual([]);
      expect(otherOrgClient.received).toEqual([]);
      expect(agentClient.payloadsOf('user.updated')).toHaveLength(1);
    });

    it("POST /api/auth/logout drops the user's sockets, and only theirs", async () => {
      const { a, adminA, agentA } = await setup();
      const second = await login(app, a.agent.email);
      const [agentClient, agentSecondClient, adminClient] = await Promise.all([
        connectInbox(app, agentA.accessToken),
        connectInbox(app, second.accessToken),
        connectInbox(app, adminA.accessToken),
      ]);
      await app.http().post('/api/auth/logout').set(bearer(agentA.accessToken)).expect(200);

      expect(await agentClient.disconnection()).toBe('io server disconnect');
      expect(await agentSecondClient.disconnection()).toBe('io server disconnect');
      await sleep(SILENCE_MS);
      expect(adminClient.connected).toBe(true);
      expect(adminClient.disconnectReason).toBeNull();
      // The logged-out session cannot come back; the other session still may.
      expect(await refusedConnection(app, { token: agentA.accessToken })).toBe(REFUSED);
      await connectInbox(app, second.accessToken);
    });

    it('PATCH /api/users/:id {active:false} drops the deactivated user’s sockets for good', async () => {
      const { a, adminA, agentA } = await setup();
      const [agentClient, adminClient] = await Promise.all([
        connectInbox(app, agentA.accessToken),
        connectInbox(app, adminA.accessToken),
      ]);
      await app
        .http()
        .patch(`/api/users/${a.agent.id}`)
        .set(bearer(adminA.accessToken))
        .send({ active: false })
        .expect(200);

      expect(await agentClient.disconnection()).toBe('io server disconnect');
      await sleep(SILENCE_MS);
      expect(adminClient.connected).toBe(true);
      expect(await refusedConnection(app, { token: agentA.accessToken })).toBe(REFUSED);
    });
  });

  describe('two API processes sharing the Redis adapter', () => {
    let second: TestApp;

    beforeAll(async () => {
      second = await startTestApp();
    });
    afterAll(async () => {
      closeAllInboxClients();
      await second.close();
    });

    it("an event published by one process reaches the sockets held by the other, in the organisation's room only", async () => {
      const { a, adminA, agentA, adminB } = await setup();
      const [onFirst, onSecond, otherOrgOnFirst] = await Promise.all([
        connectInbox(app, adminA.accessToken),
        connectInbox(second, agentA.accessToken),
        connectInbox(app, adminB.accessToken),
      ]);
      const fromSecond = { id: a.organisation.id, name: 'From the second' } as OrganisationDto;
      second.app.get(EventPublisher).toOrganisation(a.organisation.id, 'org.updated', fromSecond);
      expect(await onFirst.nextEvent('org.updated')).toEqual(fromSecond);
      expect(await onSecond.nextEvent('org.updated')).toEqual(fromSecond);

      const toAgent = { id: a.agent.id, available: false } as unknown as UserDto;
      app.app.get(EventPublisher).toUser(a.agent.id, 'user.updated', toAgent);
      expect(await onSecond.nextEvent('user.updated')).toEqual(toAgent);
      await sleep(SILENCE_MS);
      expect(otherOrgOnFirst.received).toEqual([]);
      expect(onFirst.payloadsOf('user.updated')).toEqual([]);
    });

    it("a request served by one process drops the user's sockets held by the other", async () => {
      const { a, adminA, agentA } = await setup();
      const clients: InboxClient[] = await Promise.all([
        connectInbox(app, agentA.accessToken),
        connectInbox(second, agentA.accessToken),
      ]);
      const admin = await connectInbox(app, adminA.accessToken);
      // A real flow on the second process: the admin renames the organisation.
      await second
        .http()
        .patch('/api/org')
        .set(bearer(adminA.accessToken))
        .send({ name: 'Renamed on the second' })
        .expect(200);
      expect(await admin.nextEvent('org.updated')).toMatchObject({
        id: a.organisation.id,
        name: 'Renamed on the second',
      });

      await second.http().post('/api/auth/logout').set(bearer(agentA.accessToken)).expect(200);
      for (const client of clients) {
        expect(await client.disconnection()).toBe('io server disconnect');
      }
      expect(admin.connected).toBe(true);
    });
  });
});
