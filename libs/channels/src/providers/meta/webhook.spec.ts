import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { InvalidPayload } from '../../errors';
import { MetaPeer } from '../../fakes/meta-peer';
import { parseMetaDelivery, verifyMetaHandshake, verifyMetaSignature } from './webhook';

const fixtures = JSON.parse(
  readFileSync(
    join(__dirname, '../../../../../tests/fixtures/channels/meta-webhooks.json'),
    'utf8',
  ),
) as Record<string, unknown>;

const SECRET = 'app-secret-0f9e8d';
const sign = (body: Buffer | string, secret = SECRET) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

describe('verifyMetaSignature', () => {
  const body = Buffer.from(JSON.stringify(fixtures.page_comment));
  const good = sign(body);

  it.each<[string, Buffer, string | undefined, string, boolean]>([
    ['the right signature', body, good, SECRET, true],
    ['upper-case hex', body, `sha256=${good.slice(7).toUpperCase()}`, SECRET, true],
    ['another secret', body, sign(body, 'other'), SECRET, false],
    [
      'one changed byte of the body',
      Buffer.from(body.toString().replace('Ana', 'Ann')),
      good,
      SECRET,
      false,
    ],
    ['a missing header', body, undefined, SECRET, false],
    ['an empty header', body, '', SECRET, false],
    ['no sha256= prefix', body, good.slice(7), SECRET, false],
    [
      'sha1 instead',
      body,
      `sha1=${createHmac('sha1', SECRET).update(body).digest('hex')}`,
      SECRET,
      false,
    ],
    ['a short digest', body, good.slice(0, -2), SECRET, false],
    ['a long digest', body, `${good}00`, SECRET, false],
    ['non-hex characters', body, `sha256=${'z'.repeat(64)}`, SECRET, false],
    ['no app secret configured', body, sign(body, ''), '', false],
  ])('%s', (_name, raw, header, secret, expected) => {
    expect(verifyMetaSignature(raw, header, secret)).toBe(expected);
  });

  it('checks the raw bytes, not a re-serialised body', () => {
    // Meta escapes non-ASCII as \\uXXXX; JSON.stringify(JSON.parse(...)) would not.
    const raw = Buffer.from('{"object":"page","entry":[{"id":"1","x":"\\u00e9"}]}');
    const header = sign(raw);
    expect(verifyMetaSignature(raw, header, SECRET)).toBe(true);
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(raw.toString())));
    expect(verifyMetaSignature(reserialised, header, SECRET)).toBe(false);
  });

  it('never throws on nonsense', () => {
    const weird = [null, 42, {}, ['sha256=00']] as unknown as string[];
    for (const header of weird) expect(verifyMetaSignature(body, header, SECRET)).toBe(false);
    expect(verifyMetaSignature('not a buffer' as unknown as Buffer, good, SECRET)).toBe(false);
  });
});

describe('verifyMetaHandshake', () => {
  const TOKEN = 'verify-me-please';
  it.each<[string, Record<string, unknown>, string | null]>([
    [
      'a matching subscribe',
      { 'hub.mode': 'subscribe', 'hub.verify_token': TOKEN, 'hub.challenge': '1158201444' },
      '1158201444',
    ],
    [
      'nested (qs allowDots)',
      { hub: { mode: 'subscribe', verify_token: TOKEN, challenge: '42' } },
      '42',
    ],
    [
      'a wrong token',
      { 'hub.mode': 'subscribe', 'hub.verify_token': 'nope', 'hub.challenge': '1' },
      null,
    ],
    [
      'a token prefix',
      { 'hub.mode': 'subscribe', 'hub.verify_token': 'verify', 'hub.challenge': '1' },
      null,
    ],
    [
      'another mode',
      { 'hub.mode': 'unsubscribe', 'hub.verify_token': TOKEN, 'hub.challenge': '1' },
      null,
    ],
    ['no challenge', { 'hub.mode': 'subscribe', 'hub.verify_token': TOKEN }, null],
    [
      'a repeated token',
      { 'hub.mode': 'subscribe', 'hub.verify_token': [TOKEN, TOKEN], 'hub.challenge': '1' },
      null,
    ],
    [
      'markup as challenge',
      { 'hub.mode': 'subscribe', 'hub.verify_token': TOKEN, 'hub.challenge': '<script>' },
      null,
    ],
    ['nothing', {}, null],
  ])('%s', (_name, query, expected) => {
    expect(verifyMetaHandshake(query, TOKEN)).toBe(expected);
  });

  it('refuses everything when no verify token is configured', () => {
    expect(
      verifyMetaHandshake(
        { 'hub.mode': 'subscribe', 'hub.verify_token': '', 'hub.challenge': '1' },
        '',
      ),
    ).toBeNull();
  });
});

describe('parseMetaDelivery: the fixtures', () => {
  it('normalises a page comment', () => {
    const { entries } = parseMetaDelivery(fixtures.page_comment);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      provider: 'facebook',
      accountExternalId: '1029384756',
      rejected: [],
    });
    expect(entries[0].items).toEqual([
      {
        externalId: '1029_555_777',
        authorExternalId: '6001',
        authorHandle: 'Ana P',
        authorName: 'Ana P',
        text: 'Waar blijft mijn terugbetaling?',
        createdAt: new Date(1740823199 * 1000),
        inReplyToExternalId: null,
        threadRootExternalId: '1029_555',
        visibility: 'public',
        language: null,
        attachments: [],
        raw: (fixtures.page_comment as { entry: { changes: unknown[] }[] }).entry[0].changes[0],
      },
    ]);
  });

  it('normalises an Instagram comment (created time from entry.time)', () => {
    const { entries } = parseMetaDelivery(fixtures.instagram_comment);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      provider: 'instagram',
      accountExternalId: '17841400000000001',
    });
    expect(entries[0].items[0]).toMatchObject({
      externalId: '17900000000000002',
      authorExternalId: '2340000000000003',
      authorHandle: '@ana.p',
      authorName: null,
      text: '@demo_energie waar is mijn slimme meter?',
      createdAt: new Date(1740823300 * 1000),
      inReplyToExternalId: null,
      threadRootExternalId: '18000000000000004',
      visibility: 'public',
    });
  });

  it('normalises a Messenger message (epoch milliseconds)', () => {
    const { entries } = parseMetaDelivery(fixtures.messenger_message);
    expect(entries[0]).toMatchObject({ provider: 'facebook', accountExternalId: '1029384756' });
    expect(entries[0].items[0]).toMatchObject({
      externalId: 'm_AbC123',
      authorExternalId: '7001',
      authorHandle: 'fb:7001',
      authorName: null,
      text: 'Hoi, ik wil mijn termijnbedrag aanpassen',
      createdAt: new Date(1740823399000),
      inReplyToExternalId: null,
      threadRootExternalId: null,
      visibility: 'direct',
    });
    expect(entries[0].items[0].raw).toEqual(
      (fixtures.messenger_message as { entry: { messaging: unknown[] }[] }).entry[0].messaging[0],
    );
  });
});

const pageDelivery = (...changes: unknown[]) => ({
  object: 'page',
  entry: [{ id: '1029384756', time: 1740823200, changes }],
});
const feed = (value: Record<string, unknown>) => ({
  field: 'feed',
  value: {
    item: 'comment',
    verb: 'add',
    comment_id: '1029_555_901',
    post_id: '1029_555',
    parent_id: '1029_555',
    message: 'Hallo',
    from: { id: '6001', name: 'Ana P' },
    created_time: 1740823199,
    ...value,
  },
});
const igDelivery = (...changes: unknown[]) => ({
  object: 'instagram',
  entry: [{ id: '17841400000000001', time: 1740823300, changes }],
});
const igComment = (value: Record<string, unknown>) => ({
  field: 'comments',
  value: {
    id: '17900000000000009',
    text: 'hoi',
    from: { id: '2340000000000003', username: 'ana.p' },
    media: { id: '18000000000000004', media_product_type: 'FEED' },
    ...value,
  },
});
const messenger = (...messaging: unknown[]) => ({
  object: 'page',
  entry: [{ id: '1029384756', time: 1740823400000, messaging }],
});
const dm = (event: Record<string, unknown>) => ({
  sender: { id: '7001' },
  recipient: { id: '1029384756' },
  timestamp: 1740823399000,
  message: { mid: 'm_1', text: 'Hoi' },
  ...event,
});

describe('parseMetaDelivery: hostile and odd input', () => {
  const long = 'Lang verhaal. '.repeat(715).slice(0, 10_000);

  it.each<[string, unknown, Record<string, unknown>]>([
    [
      'a reply comment answers its parent',
      pageDelivery(feed({ parent_id: '1029_555_777' })),
      { inReplyToExternalId: '1029_555_777', threadRootExternalId: '1029_555' },
    ],
    [
      'no name → fb:<id>',
      pageDelivery(feed({ from: { id: '6002' } })),
      { authorHandle: 'fb:6002', authorName: null },
    ],
    [
      'no post or parent id',
      pageDelivery(feed({ post_id: undefined, parent_id: undefined })),
      { inReplyToExternalId: null, threadRootExternalId: null },
    ],
    [
      'no created_time → entry.time',
      pageDelivery(feed({ created_time: undefined })),
      { createdAt: new Date(1740823200 * 1000) },
    ],
    [
      'an ISO created_time',
      pageDelivery(feed({ created_time: '2025-03-01T10:00:00+0000' })),
      { createdAt: new Date('2025-03-01T10:00:00Z') },
    ],
    [
      'HTML entities stay text',
      pageDelivery(feed({ message: 'Prijs &lt;&euro;40&gt; &amp; <b>meer</b>' })),
      { text: 'Prijs &lt;&euro;40&gt; &amp; <b>meer</b>' },
    ],
    ['emoji', pageDelivery(feed({ message: 'Top 👍🏽🇳🇱 bedankt' })), { text: 'Top 👍🏽🇳🇱 bedankt' }],
    ['a 10,000-character text', pageDelivery(feed({ message: long })), { text: long }],
    [
      'a photo-only comment',
      pageDelivery(feed({ message: undefined, photo: 'https://scontent.xx.fbcdn.net/p.jpg' })),
      { text: '', attachments: [{ type: 'image', url: 'https://scontent.xx.fbcdn.net/p.jpg' }] },
    ],
    [
      'extra fields are kept in raw',
      pageDelivery(feed({ extra: { nested: true } })),
      { externalId: '1029_555_901' },
    ],
    [
      'an Instagram reply',
      igDelivery(igComment({ parent_id: '17900000000000002' })),
      { inReplyToExternalId: '17900000000000002', threadRootExternalId: '18000000000000004' },
    ],
    [
      'an Instagram comment without username',
      igDelivery(igComment({ from: { id: '2340000000000004' } })),
      { authorHandle: 'ig:2340000000000004' },
    ],
    [
      'an Instagram comment without media',
      igDelivery(igComment({ media: undefined })),
      { threadRootExternalId: null },
    ],
    ['an Instagram emoji comment', igDelivery(igComment({ text: '😍😍😍' })), { text: '😍😍😍' }],
    [
      'a Messenger message with a known name',
      messenger(dm({ sender: { id: '7002', name: 'Sanne' } })),
      { authorHandle: 'Sanne', authorName: 'Sanne' },
    ],
    [
      'a Messenger reply to a message',
      messenger(dm({ message: { mid: 'm_2', text: 'ja', reply_to: { mid: 'm_1' } } })),
      { inReplyToExternalId: 'm_1' },
    ],
    [
      'a Messenger image',
      messenger(
        dm({
          message: {
            mid: 'm_3',
            attachments: [{ type: 'image', payload: { url: 'https://cdn.fbsbx.com/i.png' } }],
          },
        }),
      ),
      { text: '', attachments: [{ type: 'image', url: 'https://cdn.fbsbx.com/i.png' }] },
    ],
    [
      'a Messenger message without timestamp → entry.time',
      messenger(dm({ timestamp: undefined })),
      { createdAt: new Date(1740823400000) },
    ],
  ])('%s', (_name, body, expected) => {
    const { entries } = parseMetaDelivery(body);
    expect(entries[0].rejected).toEqual([]);
    expect(entries[0].items).toHaveLength(1);
    expect(entries[0].items[0]).toMatchObject(expected);
  });

  it.each<[string, unknown]>([
    ['an edited comment', pageDelivery(feed({ verb: 'edited' }))],
    ['a removed comment', pageDelivery(feed({ verb: 'remove' }))],
    ['a hidden comment', pageDelivery(feed({ verb: 'hide' }))],
    [
      'a like',
      pageDelivery({
        field: 'feed',
        value: { item: 'reaction', verb: 'add', reaction_type: 'like', from: { id: '6001' } },
      }),
    ],
    [
      'a new post',
      pageDelivery({ field: 'feed', value: { item: 'status', verb: 'add', post_id: '1_2' } }),
    ],
    ['another field', pageDelivery({ field: 'mention', value: {} })],
    [
      "the page's own comment (our reply)",
      pageDelivery(feed({ from: { id: '1029384756', name: 'Demo Energie' } })),
    ],
    [
      "the account's own Instagram reply",
      igDelivery(igComment({ from: { id: '17841400000000001', username: 'demo_energie' } })),
    ],
    ['an Instagram mention field', igDelivery({ field: 'mentions', value: { media_id: '1' } })],
    [
      'an echo of our message',
      messenger(
        dm({ sender: { id: '1029384756' }, message: { mid: 'm_e', text: 'x', is_echo: true } }),
      ),
    ],
    [
      'a delivery receipt',
      messenger({
        sender: { id: '7001' },
        recipient: { id: '1029384756' },
        delivery: { mids: ['m_1'], watermark: 1 },
      }),
    ],
    [
      'a read receipt',
      messenger({
        sender: { id: '7001' },
        recipient: { id: '1029384756' },
        read: { watermark: 1 },
      }),
    ],
    [
      'a reaction',
      messenger({
        sender: { id: '7001' },
        recipient: { id: '1029384756' },
        reaction: { mid: 'm_1', action: 'react' },
      }),
    ],
  ])('skips %s without rejecting it', (_name, body) => {
    const { entries } = parseMetaDelivery(body);
    expect(entries[0].items).toEqual([]);
    expect(entries[0].rejected).toEqual([]);
  });

  const goodFeed = feed({ comment_id: '1029_555_good' });
  const goodIg = igComment({ id: '17900000000000777' });
  const goodDm = dm({ message: { mid: 'm_good', text: 'goed' } });
  it.each<[string, (...list: unknown[]) => unknown, unknown, unknown, string]>([
    [
      'a comment without comment_id',
      pageDelivery,
      feed({ comment_id: undefined }),
      goodFeed,
      'page comment without comment_id',
    ],
    [
      'a comment without from',
      pageDelivery,
      feed({ from: undefined }),
      goodFeed,
      'page comment without from.id',
    ],
    [
      'a comment without text or photo',
      pageDelivery,
      feed({ message: undefined }),
      goodFeed,
      'page comment without text',
    ],
    [
      'a comment whose message is not text',
      pageDelivery,
      feed({ message: { x: 1 } }),
      goodFeed,
      'page comment message is not text',
    ],
    ['a change that is not an object', pageDelivery, 'feed', goodFeed, 'change is not an object'],
    [
      'a feed change without value',
      pageDelivery,
      { field: 'feed' },
      goodFeed,
      'feed change without a value',
    ],
    [
      'an Instagram comment without id',
      igDelivery,
      igComment({ id: undefined }),
      goodIg,
      'Instagram comment without id',
    ],
    [
      'an Instagram comment without from',
      igDelivery,
      igComment({ from: undefined }),
      goodIg,
      'Instagram comment without from.id',
    ],
    [
      'an Instagram comment without text',
      igDelivery,
      igComment({ text: undefined }),
      goodIg,
      'Instagram comment without text',
    ],
    [
      'a Messenger message without mid',
      messenger,
      dm({ message: { text: 'hoi' } }),
      goodDm,
      'Messenger message without mid',
    ],
    [
      'a Messenger message without sender',
      messenger,
      dm({ sender: undefined }),
      goodDm,
      'Messenger message without sender.id',
    ],
    [
      'a Messenger message without text',
      messenger,
      dm({ message: { mid: 'm_9' } }),
      goodDm,
      'Messenger message without text',
    ],
    [
      'an unknown messaging event',
      messenger,
      { sender: { id: '7001' }, surprise: true },
      goodDm,
      'unknown messaging event',
    ],
  ])('rejects %s and goes on with the rest', (_name, wrap, bad, good, reason) => {
    const { entries } = parseMetaDelivery(wrap(bad, good));
    expect(entries[0].rejected).toEqual([{ reason, raw: bad }]);
    expect(entries[0].items).toHaveLength(1);
  });

  it('rejects Instagram direct messages (not supported here)', () => {
    const body = { object: 'instagram', entry: [{ id: '17841400000000001', messaging: [dm({})] }] };
    const { entries } = parseMetaDelivery(body);
    expect(entries[0].rejected).toEqual([
      { reason: 'Instagram direct messages are not supported', raw: body.entry[0].messaging[0] },
    ]);
  });

  it('rejects a changes or messaging field that is not a list', () => {
    const body = { object: 'page', entry: [{ id: '1029384756', changes: {}, messaging: 'x' }] };
    expect(parseMetaDelivery(body).entries[0].rejected.map((r) => r.reason)).toEqual([
      'changes is not a list',
      'messaging is not a list',
    ]);
  });

  it('groups a batched delivery by account and keeps entries without an id apart', () => {
    const body = {
      object: 'page',
      entry: [
        { id: '1029384756', time: 1, changes: [feed({ comment_id: 'a_1' })] },
        { id: '5550001112', time: 1, changes: [feed({ comment_id: 'b_1' })] },
        { id: '1029384756', time: 1, messaging: [dm({})] },
        { time: 1, changes: [feed({ comment_id: 'lost' })] },
      ],
    };
    const delivery = parseMetaDelivery(body);
    expect(
      delivery.entries.map((e) => [e.accountExternalId, e.items.map((i) => i.externalId)]),
    ).toEqual([
      ['1029384756', ['a_1', 'm_1']],
      ['5550001112', ['b_1']],
    ]);
    expect(delivery.unroutable).toEqual([{ reason: 'entry without an id', raw: body.entry[3] }]);
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['a string', 'object=page'],
    ['an array', [{ object: 'page' }]],
    ['no entry', { object: 'page' }],
    ['entry not a list', { object: 'page', entry: {} }],
    ['another object', { object: 'whatsapp_business_account', entry: [] }],
    ['no object', { entry: [] }],
  ])('throws InvalidPayload for a body that is not a Meta delivery: %s', (_name, body) => {
    expect(() => parseMetaDelivery(body)).toThrow(InvalidPayload);
  });

  it('answers no entries for an empty delivery', () => {
    expect(parseMetaDelivery({ object: 'page', entry: [] })).toEqual({
      entries: [],
      unroutable: [],
    });
  });
});

describe('MetaPeer deliveries through a signed webhook', () => {
  let peer: MetaPeer;
  let server: Server;
  let url: string;
  const received: unknown[] = [];

  beforeAll(async () => {
    peer = await new MetaPeer().start();
    // A minimal receiver doing what the API's webhook does: raw bytes → signature → parse.
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const header = req.headers['x-hub-signature-256'];
        if (!verifyMetaSignature(raw, typeof header === 'string' ? header : undefined, SECRET)) {
          res.writeHead(403).end();
          return;
        }
        received.push(parseMetaDelivery(JSON.parse(raw.toString('utf8'))));
        res.writeHead(200).end('EVENT_RECEIVED');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/webhooks/meta`;
  });

  afterAll(async () => {
    await peer.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  beforeEach(() => received.splice(0));

  it('delivers the three builders as items the parser understands', async () => {
    const comment = peer.pageComment();
    const ig = peer.instagramComment();
    const dmBuilt = peer.messengerMessage({ text: 'Kan ik mijn termijnbedrag verlagen? 🙏' });
    expect(await peer.deliver(url, comment.delivery, SECRET)).toBe(200);
    expect(await peer.deliver(url, ig.delivery, SECRET)).toBe(200);
    expect(await peer.deliver(url, dmBuilt.delivery, SECRET)).toBe(200);
    const items = (received as ReturnType<typeof parseMetaDelivery>[]).map(
      (d) => d.entries[0].items[0],
    );
    expect(items.map((i) => i.externalId)).toEqual([
      comment.comment.id,
      ig.comment.id,
      dmBuilt.message.mid,
    ]);
    expect(items[0]).toMatchObject({
      visibility: 'public',
      threadRootExternalId: comment.comment.rootId,
    });
    expect(items[1].authorHandle).toMatch(/^@/);
    expect(items[2]).toMatchObject({
      visibility: 'direct',
      text: 'Kan ik mijn termijnbedrag verlagen? 🙏',
    });
  });

  it('a batch of several entries arrives as one delivery', async () => {
    const body = MetaPeer.batch(peer.pageComment().delivery, peer.messengerMessage().delivery);
    expect(await peer.deliver(url, body, SECRET)).toBe(200);
    const [delivery] = received as ReturnType<typeof parseMetaDelivery>[];
    expect(delivery.entries).toHaveLength(1);
    expect(delivery.entries[0].items).toHaveLength(2);
  });

  it('a broken or missing signature is refused and nothing is stored', async () => {
    const body = peer.pageComment().delivery;
    expect(await peer.deliver(url, body, SECRET, { badSignature: true })).toBe(403);
    expect(await peer.deliver(url, body, SECRET, { unsigned: true })).toBe(403);
    expect(received).toEqual([]);
  });
});
