import type { ConnectedAccount, InboundItem, OutboundReply } from '../../connector';
import {
  Ambiguous,
  AuthExpired,
  CredentialsInvalid,
  InvalidPayload,
  Permanent,
  RateLimited,
  Transient,
} from '../../errors';
import { SafeHttp } from '../../http/safe-http';
import { DEMO_INSTAGRAM, DEMO_PAGE, MetaPeer } from '../../fakes/meta-peer';
import { DEFAULT_GRAPH_BASE_URL } from './graph';
import {
  InstagramConnector,
  type InstagramConfig,
  type InstagramSecrets,
} from './instagram.connector';
import { parseMetaDelivery } from './webhook';

const clock = new Date('2025-03-03T09:00:00Z');
const now = () => clock;

let peer: MetaPeer;
let http: SafeHttp;
const connector = new InstagramConnector({ now });
let account: ConnectedAccount<InstagramConfig, InstagramSecrets>;

beforeAll(async () => {
  peer = await new MetaPeer({ now }).start();
  http = new SafeHttp(true);
  account = connector.parseConfig(
    {
      igUserId: DEMO_INSTAGRAM.id,
      pageAccessToken: DEMO_PAGE.token,
      graphBaseUrl: peer.graphBaseUrl,
    },
    { allowInsecureUrls: true },
  );
});

afterAll(async () => {
  await http.close();
  await peer.close();
});

function itemOf(delivery: unknown): InboundItem {
  const [entry] = parseMetaDelivery(delivery).entries;
  expect(entry.rejected).toEqual([]);
  return entry.items[0];
}

function replyTo(item: InboundItem, text: string, isPrivate = false): OutboundReply {
  return {
    replyId: 'b1e2c3d4-0000-4000-8000-000000000001',
    idempotencyKey: 'b1e2c3d4-0000-4000-8000-000000000001',
    text,
    private: isPrivate,
    inReplyTo: {
      externalId: item.externalId,
      authorExternalId: item.authorExternalId,
      authorHandle: item.authorHandle,
      visibility: item.visibility,
      raw: item.raw,
    },
  };
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

describe('InstagramConnector capabilities', () => {
  it('is pushed, has no direct messages, is not idempotent, counts 2200 characters', () => {
    expect(connector.capabilities).toEqual({
      provider: 'instagram',
      ingest: 'webhook',
      directMessages: false,
      idempotentSend: false,
      length: { limit: 2200, counting: 'characters' },
    });
    expect('fetch' in connector).toBe(false);
    expect(connector.newIdempotencyKey('reply-9')).toBe('reply-9');
  });
});

describe('InstagramConnector.parseConfig', () => {
  const secure = { allowInsecureUrls: false };

  it('splits a valid config, defaulting the Graph URL', () => {
    const parsed = connector.parseConfig(
      { igUserId: '17841400000000001', pageAccessToken: 'EAAGxyz' },
      secure,
    );
    expect(parsed).toEqual({
      config: { igUserId: '17841400000000001', graphBaseUrl: DEFAULT_GRAPH_BASE_URL },
      secrets: { pageAccessToken: 'EAAGxyz' },
      externalAccountId: '17841400000000001',
    });
    expect(JSON.stringify(parsed.config)).not.toContain('EAAGxyz');
  });

  it.each<[string, unknown, string]>([
    ['no account id', { pageAccessToken: 't' }, 'igUserId: is required'],
    // 17841400000000001 is above 2^53: a JSON number would already have lost digits.
    [
      'a numeric account id',
      { igUserId: JSON.parse('17841400000000001') as number, pageAccessToken: 't' },
      'igUserId: must be a string of digits',
    ],
    [
      'a username instead of the id',
      { igUserId: '@demo_energie', pageAccessToken: 't' },
      'igUserId: must be a string of digits',
    ],
    ['a page id field instead', { pageId: '1', pageAccessToken: 't' }, 'igUserId: is required'],
    ['no token', { igUserId: '1' }, 'pageAccessToken: is required'],
    [
      'an http Graph URL',
      { igUserId: '1', pageAccessToken: 't', graphBaseUrl: 'http://graph.facebook.com' },
      'graphBaseUrl: must use https',
    ],
    [
      'a loopback Graph URL',
      { igUserId: '1', pageAccessToken: 't', graphBaseUrl: 'https://localhost/v21.0' },
      'graphBaseUrl: must not point at a loopback',
    ],
  ])('refuses %s', (_name, input, message) => {
    expect(() => connector.parseConfig(input, secure)).toThrow(InvalidPayload);
    expect(() => connector.parseConfig(input, secure)).toThrow(message);
  });
});

describe('InstagramConnector.verify', () => {
  it('answers @username as the handle', async () => {
    await expect(connector.verify(account, http)).resolves.toEqual({
      handle: '@demo_energie',
      externalAccountId: DEMO_INSTAGRAM.id,
    });
    const request = peer.requests.at(-1)!;
    expect(request.path).toBe(`/v21.0/${DEMO_INSTAGRAM.id}`);
    expect(request.query.get('fields')).toBe('id,username');
  });

  it('refuses a wrong token as CredentialsInvalid', async () => {
    const error = await failure(
      connector.verify({ ...account, secrets: { pageAccessToken: 'EAAGnope' } }, http),
    );
    expect(error).toBeInstanceOf(CredentialsInvalid);
  });

  it('refuses an Instagram account the page is not linked to', async () => {
    const other = peer.addPage({ id: '3330001114', name: 'Andere Pagina', token: 'EAAGother' });
    const error = await failure(
      connector.verify({ ...account, secrets: { pageAccessToken: other.token } }, http),
    );
    expect(error).toBeInstanceOf(CredentialsInvalid);
  });

  it('calls a 5xx Transient', async () => {
    peer.failNext(500);
    expect(await failure(connector.verify(account, http))).toBeInstanceOf(Transient);
  });
});

describe('InstagramConnector.send', () => {
  it('answers a top-level comment with POST /{comment-id}/replies', async () => {
    const { delivery, comment } = peer.instagramComment({
      text: '@demo_energie waar is mijn slimme meter? 😤',
    });
    const result = await connector.send(
      account,
      replyTo(itemOf(delivery), 'Hoi! We sturen je een DM.'),
      http,
    );
    const request = peer.requests.at(-1)!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe(`/v21.0/${comment.id}/replies`);
    expect(request.parsed).toEqual({ message: 'Hoi! We sturen je een DM.' });
    expect(peer.posted.at(-1)).toMatchObject({
      kind: 'instagram_reply',
      id: result.externalId,
      target: comment.id,
      text: 'Hoi! We sturen je een DM.',
    });
  });

  it('answers a reply under its top-level comment, mentioning the customer', async () => {
    const top = peer.instagramComment();
    const { delivery, comment } = peer.instagramComment({
      parentId: top.comment.id,
      from: { id: '2340000000000099', username: 'sanne_j' },
      text: '@ana.p ik heb hetzelfde probleem',
    });
    const item = itemOf(delivery);
    expect(item.inReplyToExternalId).toBe(top.comment.id);
    await connector.send(account, replyTo(item, 'Vervelend, we zoeken het uit.'), http);
    expect(peer.posted.at(-1)).toMatchObject({
      target: top.comment.id,
      text: '@sanne_j Vervelend, we zoeken het uit.',
    });
    expect(peer.posted.at(-1)!.target).not.toBe(comment.id);
  });

  it('does not mention twice when the text already starts with the handle', async () => {
    const top = peer.instagramComment();
    const item = itemOf(
      peer.instagramComment({
        parentId: top.comment.id,
        from: { id: '2340000000000098', username: 'fleurbakker' },
      }).delivery,
    );
    await connector.send(account, replyTo(item, '@fleurbakker dank je!'), http);
    expect(peer.posted.at(-1)!.text).toBe('@fleurbakker dank je!');
  });

  it('the fake refuses an answer on a reply, as Instagram does (Permanent)', async () => {
    const top = peer.instagramComment();
    const item = itemOf(peer.instagramComment({ parentId: top.comment.id }).delivery);
    // A record without the raw parent_id makes the connector target the reply itself.
    const error = await failure(
      connector.send(
        account,
        { ...replyTo(item, 'Hallo'), inReplyTo: { ...replyTo(item, 'x').inReplyTo, raw: null } },
        http,
      ),
    );
    expect(error).toBeInstanceOf(Permanent);
    expect(error.message).toContain('top-level');
  });

  it('has no private answers', async () => {
    const item = itemOf(peer.instagramComment().delivery);
    const before = peer.requests.length;
    const error = await failure(connector.send(account, replyTo(item, 'Privé', true), http));
    expect(error).toBeInstanceOf(Permanent);
    expect(error.message).toBe('this channel has no direct messages');
    expect(peer.requests.length).toBe(before);
  });

  it('posts 2200 characters and refuses 2201 before calling Meta', async () => {
    const item = itemOf(peer.instagramComment().delivery);
    await connector.send(account, replyTo(item, '🙂'.repeat(2200)), http);
    const before = peer.requests.length;
    expect(
      await failure(connector.send(account, replyTo(item, 'a'.repeat(2201)), http)),
    ).toBeInstanceOf(Permanent);
    expect(peer.requests.length).toBe(before);
  });

  it.each<[string, () => void, (e: Error) => void]>([
    [
      'throttling (code 80002) → RateLimited',
      () => peer.throttleNext({ code: 80002, minutes: 12 }),
      (e) => {
        expect(e).toBeInstanceOf(RateLimited);
        expect((e as RateLimited).retryAt).toEqual(new Date(clock.getTime() + 12 * 60_000));
      },
    ],
    ['a 5xx → Transient', () => peer.failNext(502), (e) => expect(e).toBeInstanceOf(Transient)],
  ])('%s', async (_name, arrange, check) => {
    const item = itemOf(peer.instagramComment().delivery);
    arrange();
    check(await failure(connector.send(account, replyTo(item, 'Hallo'), http)));
  });

  it('an expired token → AuthExpired', async () => {
    const page = peer.addPage({ id: '4440001115', name: 'Vierde', token: 'EAAGexpiring' });
    const ig = peer.addInstagramAccount({
      id: '17841400000000444',
      username: 'vierde',
      pageId: page.id,
    });
    peer.expireToken(page.token);
    const item = itemOf(peer.instagramComment({ igUserId: ig.id }).delivery);
    const error = await failure(
      connector.send(
        {
          ...account,
          config: { ...account.config, igUserId: ig.id },
          secrets: { pageAccessToken: page.token },
        },
        replyTo(item, 'Hallo'),
        http,
      ),
    );
    expect(error).toBeInstanceOf(AuthExpired);
  });

  it('a timeout after the request left → Ambiguous', async () => {
    const impatient = new InstagramConnector({ now, timeoutMs: 150 });
    const item = itemOf(peer.instagramComment().delivery);
    peer.delayNext(2500);
    expect(await failure(impatient.send(account, replyTo(item, 'Hallo'), http))).toBeInstanceOf(
      Ambiguous,
    );
  });
});
