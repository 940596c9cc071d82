import type { PostLink } from './connector';
import {
  blueskyPostUrl,
  facebookCommentUrl,
  instagramCommentUrl,
  mastodonStatusUrl,
  xPostUrl,
} from './external-urls';
import { BlueskyConnector } from './providers/bluesky/bluesky.connector';
import { MastodonConnector } from './providers/mastodon/mastodon.connector';
import { FacebookConnector } from './providers/meta/facebook.connector';
import { InstagramConnector } from './providers/meta/instagram.connector';
import { XConnector } from './providers/x/x.connector';

const post = (
  externalId: string,
  authorHandle: string | null,
  visibility = 'public',
): PostLink => ({
  externalId,
  authorHandle,
  visibility,
});

describe('mastodonStatusUrl: the status on the account’s own instance', () => {
  const instance = 'https://social.example';
  it.each<[string, PostLink, string | null]>([
    [
      'our own reply (the handle names our instance)',
      post('113456789012345678', '@webcare@social.example'),
      'https://social.example/@webcare/113456789012345678',
    ],
    [
      'a local customer (acct without a domain)',
      post('113456789012345679', '@klant'),
      'https://social.example/@klant/113456789012345679',
    ],
    [
      'a remote customer: their status through our instance',
      post('113456789012345680', '@klant@mastodon.other'),
      'https://social.example/@klant@mastodon.other/113456789012345680',
    ],
    [
      'the instance’s host in another case',
      post('1', '@webcare@Social.Example'),
      'https://social.example/@webcare/1',
    ],
    [
      'followers only still has a URL',
      post('2', '@klant', 'private'),
      'https://social.example/@klant/2',
    ],
    ['a direct message has none', post('3', '@klant', 'direct'), null],
    ['no handle: none', post('4', null), null],
    ['an id that is not one', post('../../admin', '@klant'), null],
    ['a handle that is not one', post('5', '@kl/ant'), null],
    ['a domain that is not one', post('6', '@klant@evil/x'), null],
  ])('%s', (_, link, expected) => {
    expect(mastodonStatusUrl(instance, link)).toBe(expected);
  });

  it('keeps the instance’s port (development peers) and drops any path', () => {
    expect(mastodonStatusUrl('http://127.0.0.1:4567/', post('7', '@webcare@127.0.0.1'))).toBe(
      'http://127.0.0.1:4567/@webcare/7',
    );
  });

  it('answers null for an instance URL that is not one', () => {
    expect(mastodonStatusUrl('not a url', post('8', '@klant'))).toBeNull();
  });
});

describe('blueskyPostUrl: bsky.app from the at:// uri', () => {
  it.each<[string, PostLink, string | null]>([
    [
      'a post',
      post('at://did:plc:abc123xyz/app.bsky.feed.post/3kq2tqx7w5c2a', '@klant.bsky.social'),
      'https://bsky.app/profile/did:plc:abc123xyz/post/3kq2tqx7w5c2a',
    ],
    [
      'a did:web author',
      post('at://did:web:example.com/app.bsky.feed.post/3kq2tqx7w5c2b', null),
      'https://bsky.app/profile/did:web:example.com/post/3kq2tqx7w5c2b',
    ],
    ['another collection (a like)', post('at://did:plc:abc/app.bsky.feed.like/3kq2', null), null],
    ['not an at:// uri', post('https://bsky.app/x', null), null],
    ['too many parts', post('at://did:plc:abc/app.bsky.feed.post/3kq/extra', null), null],
    [
      'a record key with a slash-free but bad character',
      post('at://did:plc:abc/app.bsky.feed.post/a?b', null),
      null,
    ],
    [
      'a direct message has none',
      post('at://did:plc:abc/app.bsky.feed.post/3kq', null, 'direct'),
      null,
    ],
  ])('%s', (_, link, expected) => {
    expect(blueskyPostUrl(link)).toBe(expected);
  });
});

describe('xPostUrl: x.com/i/web/status/<id>', () => {
  it.each<[string, PostLink, string | null]>([
    [
      'a post',
      post('1790000000000000001', '@klant'),
      'https://x.com/i/web/status/1790000000000000001',
    ],
    [
      'a direct message (dm_event_id) has none',
      post('1790000000000000002', '@klant', 'direct'),
      null,
    ],
    ['an id that is not a number', post('abc', '@klant'), null],
  ])('%s', (_, link, expected) => {
    expect(xPostUrl(link)).toBe(expected);
  });
});

describe('facebookCommentUrl: the post’s permalink with the comment', () => {
  it.each<[string, PostLink, string | null]>([
    [
      'a Page comment (<post>_<comment>)',
      post('10158396234431234_10158396299871234', 'Klant'),
      'https://www.facebook.com/10158396234431234?comment_id=10158396299871234',
    ],
    ['a Messenger message (mid) has none', post('m_AbCdEf123', 'Klant', 'direct'), null],
    ['a private reply has none', post('1_2', 'Klant', 'direct'), null],
    ['an id of another form', post('10158396234431234', 'Klant'), null],
    ['three parts', post('1_2_3', 'Klant'), null],
    ['not digits', post('1_x', 'Klant'), null],
  ])('%s', (_, link, expected) => {
    expect(facebookCommentUrl(link)).toBe(expected);
  });
});

describe('instagramCommentUrl: unknown without the media’s permalink', () => {
  it.each([post('17890000000000001', '@klant'), post('17890000000000002', '@klant', 'direct')])(
    '%j → null',
    (link) => {
      expect(instagramCommentUrl(link)).toBeNull();
    },
  );
});

describe('each connector builds its own channel’s URL', () => {
  const account = (config: Record<string, unknown>, handle: string) => ({
    config,
    handle,
    externalAccountId: null,
  });
  it.each<
    [
      string,
      { externalUrl: (a: never, p: PostLink) => string | null },
      unknown,
      PostLink,
      string | null,
    ]
  >([
    [
      'mastodon',
      new MastodonConnector(),
      account({ instanceUrl: 'https://social.example' }, '@webcare@social.example'),
      post('9', '@webcare@social.example'),
      'https://social.example/@webcare/9',
    ],
    [
      'bluesky',
      new BlueskyConnector({ plcDirectoryUrl: 'https://plc.directory' }),
      account({ serviceUrl: 'https://bsky.social' }, '@webcare.bsky.social'),
      post('at://did:plc:me/app.bsky.feed.post/3kq', '@webcare.bsky.social'),
      'https://bsky.app/profile/did:plc:me/post/3kq',
    ],
    [
      'x',
      new XConnector(),
      account({}, '@webcare'),
      post('10', '@webcare'),
      'https://x.com/i/web/status/10',
    ],
    [
      'facebook',
      new FacebookConnector(),
      account({ pageId: '1' }, 'Webcare'),
      post('11_12', 'Webcare'),
      'https://www.facebook.com/11?comment_id=12',
    ],
    [
      'instagram',
      new InstagramConnector(),
      account({ igUserId: '1' }, '@webcare'),
      post('13', '@webcare'),
      null,
    ],
  ])('%s', (_, connector, linkAccount, link, expected) => {
    expect(connector.externalUrl(linkAccount as never, link)).toBe(expected);
  });
});
