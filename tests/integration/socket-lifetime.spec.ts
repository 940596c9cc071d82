// A socket lives as long as its access token (issue 11): the server disconnects it at the
// token's `exp` unless the client sent a fresh token of the same session first
// (`auth.refresh { accessToken }`, acknowledged `{ ok: true, exp }` or `{ ok: false, code }`).
import { JwtService } from '@nestjs/jwt';
import { UserEntity } from '@toonbank/database';
import { EventPublisher } from '@toonbank/platform';
import type { AuthRefreshAck, ConversationDto, OrganisationDto } from '@toonbank/shared';
import type { DataSource } from 'typeorm';
import { closeTestDatabase, testDatabase } from '../support/database';
import { newStaffedOrganisation } from '../support/factories';
import {
  closeAllInboxClients,
  connectInbox,
  EVENT_TIMEOUT_MS,
  sleep,
  SILENCE_MS,
  type InboxClient,
} from '../support/socket-client';
import { signIn, startTestApp, type TestApp } from '../support/test-app';

interface Claims {
  sub: string;
  org: string;
  sid: string;
  exp: number;
}
const claimsOf = (token: string): Claims =>
  JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()) as Claims;
const expiryOf = (token: string) => claimsOf(token).exp * 1000;

/** The ack of `auth.refresh` with this payload (anything, as a hostile client could send). */
const refresh = (client: InboxClient, payload: unknown): Promise<AuthRefreshAck> =>
  (
    client.socket.timeout(EVENT_TIMEOUT_MS).emitWithAck as (
      event: string,
      payload: unknown,
    ) => Promise<AuthRefreshAck>
  )('auth.refresh', payload);

describe('socket lifetime: the access token expiry and auth.refresh', () => {
  let app: TestApp;
  let db: DataSource;
  let jwt: JwtService;

  beforeAll(async () => {
    db = await testDatabase();
    app = await startTestApp();
    jwt = app.app.get(JwtService, { strict: false });
  });
  afterEach(() => closeAllInboxClients());
  afterAll(async () => {
    closeAllInboxClients();
    await app.close();
    await closeTestDatabase();
  });

  /** A token of the same session as `token`, signed by the app, that expires in `seconds`. */
  const expiringIn = (token: string, seconds: number) => {
    const { sub, org, sid } = claimsOf(token);
    return jwt.signAsync(
      { sub, org, sid },
      { issuer: 'toonbank', audience: 'toonbank-api', expiresIn: seconds },
    );
  };

  const setup = async () => {
    const a = await newStaffedOrganisation(db);
    const agent = await signIn(app, a.agent);
    return { a, agent, shortLived: await expiringIn(agent, 2) };
  };

  /** Resolves when the server drops the client, with the time it happened. */
  const droppedAt = async (client: InboxClient, timeoutMs: number) => {
    expect(await client.disconnection(timeoutMs)).toBe('io server disconnect');
    return Date.now();
  };

  it('disconnects a socket when its access token expires, not before', async () => {
    const { shortLived } = await setup();
    const exp = expiryOf(shortLived);
    expect(exp - Date.now()).toBeLessThanOrEqual(2000);
    const client = await connectInbox(app, shortLived);
    expect(await droppedAt(client, exp - Date.now() + EVENT_TIMEOUT_MS)).toBeGreaterThanOrEqual(
      exp,
    );
  });

  it('auth.refresh with a fresh token of the same session keeps the socket past the old expiry, and it still hears events', async () => {
    const { a, agent, shortLived } = await setup();
    const client = await connectInbox(app, shortLived);
    const ack = await refresh(client, { accessToken: agent });
    expect(ack).toEqual({ ok: true, exp: new Date(expiryOf(agent)).toISOString() });

    await sleep(Math.max(0, expiryOf(shortLived) - Date.now()) + SILENCE_MS);
    expect(client.connected).toBe(true);
    expect(client.disconnectReason).toBeNull();
    const payload = { id: a.organisation.id, name: 'Still live' } as OrganisationDto;
    app.app.get(EventPublisher).toOrganisation(a.organisation.id, 'org.updated', payload);
    expect(await client.nextEvent('org.updated')).toEqual(payload);
  });

  it('a refreshed socket goes at the new expiry, and an older token never brings it forward', async () => {
    const { agent, shortLived } = await setup();
    const client = await connectInbox(app, await expiringIn(agent, 2));
    const longer = await expiringIn(agent, 4);
    expect(await refresh(client, { accessToken: longer })).toEqual({
      ok: true,
      exp: new Date(expiryOf(longer)).toISOString(),
    });
    // A valid token of the session that expires sooner: accepted, the later deadline stays.
    expect(await refresh(client, { accessToken: shortLived })).toEqual({
      ok: true,
      exp: new Date(expiryOf(longer)).toISOString(),
    });
    const exp = expiryOf(longer);
    expect(await droppedAt(client, exp - Date.now() + EVENT_TIMEOUT_MS)).toBeGreaterThanOrEqual(
      exp,
    );
  });

  it('refuses a token of another user, another session, an expired one, garbage and malformed payloads, and keeps the old deadline', async () => {
    const { a, agent, shortLived } = await setup();
    const colleague = await signIn(app, a.teamLead);
    const otherSession = await signIn(app, a.agent);
    const expired = await expiringIn(agent, -60);
    const forged = await new JwtService({
      secret: 'another-secret-that-is-also-long-enough-0123456789',
    }).signAsync(
      { sub: claimsOf(agent).sub, org: claimsOf(agent).org, sid: claimsOf(agent).sid },
      { issuer: 'toonbank', audience: 'toonbank-api', expiresIn: 900 },
    );
    const client = await connectInbox(app, shortLived);

    const unauthenticated: AuthRefreshAck = { ok: false, code: 'auth.unauthenticated' };
    const malformed: AuthRefreshAck = { ok: false, code: 'validation.failed' };
    const cases: [string, unknown, AuthRefreshAck][] = [
      ["a colleague's token", { accessToken: colleague }, unauthenticated],
      ["another session's token of the same user", { accessToken: otherSession }, unauthenticated],
      ['an expired token of the same session', { accessToken: expired }, unauthenticated],
      ['a token signed with another secret', { accessToken: forged }, unauthenticated],
      ['garbage', { accessToken: 'nonsense' }, unauthenticated],
      ['an empty token', { accessToken: '' }, malformed],
      ['a number', { accessToken: 42 }, malformed],
      ['no accessToken', {}, malformed],
      ['null', null, malformed],
      ['a bare string', agent, malformed],
    ];
    // Without an ack function, and without any argument: nothing breaks (the acks below come).
    const emit = client.socket.emit.bind(client.socket) as (
      event: string,
      ...args: unknown[]
    ) => unknown;
    emit('auth.refresh', { accessToken: colleague });
    emit('auth.refresh');
    const answers: Record<string, AuthRefreshAck> = {};
    for (const [what, payload] of cases) answers[what] = await refresh(client, payload);
    expect(answers).toEqual(Object.fromEntries(cases.map(([what, , ack]) => [what, ack])));

    const exp = expiryOf(shortLived);
    const at = await droppedAt(client, exp - Date.now() + EVENT_TIMEOUT_MS);
    expect(at).toBeGreaterThanOrEqual(exp);
    expect(client.payloadsOf('exception')).toEqual([]);
  });

  it('a refresh follows a changed role: a user who may no longer read the inbox leaves its room, and joins it again when they may', async () => {
    const { a, agent } = await setup();
    const client = await connectInbox(app, agent);
    const events = app.app.get(EventPublisher);
    const conversation = (n: number) =>
      ({ id: `00000000-0000-4000-8000-00000000000${n}` }) as ConversationDto;
    events.toInbox(a.organisation.id, 'conversation.updated', conversation(1));
    expect(await client.nextEvent('conversation.updated')).toEqual(conversation(1));

    // Changed behind the API's back: only the refresh can notice.
    await db.getRepository(UserEntity).update({ id: a.agent.id }, { role: 'employee' });
    expect(await refresh(client, { accessToken: agent })).toMatchObject({ ok: true });
    events.toInbox(a.organisation.id, 'conversation.updated', conversation(2));
    const org = {
      id: a.organisation.id,
      name: 'Organisation events still come',
    } as OrganisationDto;
    events.toOrganisation(a.organisation.id, 'org.updated', org);
    expect(await client.nextEvent('org.updated')).toEqual(org);
    await sleep(SILENCE_MS);
    expect(client.payloadsOf('conversation.updated')).toEqual([conversation(1)]);

    await db.getRepository(UserEntity).update({ id: a.agent.id }, { role: 'agent' });
    expect(await refresh(client, { accessToken: agent })).toMatchObject({ ok: true });
    const next = new Promise((resolve) => client.socket.once('conversation.updated', resolve));
    events.toInbox(a.organisation.id, 'conversation.updated', conversation(3));
    expect(await next).toEqual(conversation(3));
    expect(client.payloadsOf('conversation.updated')).toEqual([conversation(1), conversation(3)]);
  });

  it("refuses the refresh of a deactivated user's session and keeps the deadline", async () => {
    const { a, agent, shortLived } = await setup();
    const client = await connectInbox(app, shortLived);
    await db.getRepository(UserEntity).update({ id: a.agent.id }, { active: false });
    expect(await refresh(client, { accessToken: agent })).toEqual({
      ok: false,
      code: 'auth.unauthenticated',
    });
    const exp = expiryOf(shortLived);
    expect(await droppedAt(client, exp - Date.now() + EVENT_TIMEOUT_MS)).toBeGreaterThanOrEqual(
      exp,
    );
  });
});
