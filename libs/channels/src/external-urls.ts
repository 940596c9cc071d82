import type { PostLink } from './connector';

/*
 * The public URL of a post, one pure function per channel (each connector's `externalUrl`).
 * Every part taken from an id is checked against the channel's id alphabet before it goes into
 * a URL, so a stored id can never make a link elsewhere; anything else answers null. Each
 * pattern is a single character class, anchored: linear on any input.
 */

const DIGITS = /^[0-9]{1,30}$/;
/** Mastodon's status ids: numeric on Mastodon itself; forks use other alphanumeric ids. */
const MASTODON_ID = /^[A-Za-z0-9]{1,64}$/;
/** An account name of a Mastodon acct (`user` of `user@domain`). */
const MASTODON_USER = /^[A-Za-z0-9_.-]{1,100}$/;
const DOMAIN = /^[A-Za-z0-9.-]{1,253}$/;
/** A DID (did:plc:…, did:web:…) or a handle, the authority of an at:// URI. */
const AT_AUTHORITY = /^[A-Za-z0-9._:%-]{1,2048}$/;
/** A record key (AT Protocol: 1–512 of A-Za-z0-9 . - _ : ~). */
const RECORD_KEY = /^[A-Za-z0-9._:~-]{1,512}$/;

const isDirect = (post: PostLink): boolean => post.visibility === 'direct';

/**
 * Mastodon: the status on the account's own instance, `<instance>/@<acct>/<id>` (status ids
 * count per instance, so a remote author's status is shown through ours, as
 * `/@user@their.domain/<id>`); the account's own posts as `/@user/<id>`.
 */
export function mastodonStatusUrl(instanceUrl: string, post: PostLink): string | null {
  if (isDirect(post) || !MASTODON_ID.test(post.externalId)) return null;
  let instance: URL;
  try {
    instance = new URL(instanceUrl);
  } catch {
    return null;
  }
  const acct = (post.authorHandle ?? '').replace(/^@/, '');
  const at = acct.indexOf('@');
  const user = at === -1 ? acct : acct.slice(0, at);
  const domain = at === -1 ? null : acct.slice(at + 1);
  if (!MASTODON_USER.test(user) || (domain !== null && !DOMAIN.test(domain))) return null;
  const local = domain === null || domain.toLowerCase() === instance.hostname.toLowerCase();
  return `${instance.origin}/@${local ? user : `${user}@${domain}`}/${post.externalId}`;
}

/** Bluesky: `https://bsky.app/profile/<did>/post/<rkey>` from `at://<did>/app.bsky.feed.post/<rkey>`. */
export function blueskyPostUrl(post: PostLink): string | null {
  if (isDirect(post) || !post.externalId.startsWith('at://')) return null;
  const parts = post.externalId.slice('at://'.length).split('/');
  if (parts.length !== 3) return null;
  const [authority, collection, rkey] = parts as [string, string, string];
  if (collection !== 'app.bsky.feed.post') return null;
  if (!AT_AUTHORITY.test(authority) || !RECORD_KEY.test(rkey)) return null;
  return `https://bsky.app/profile/${authority}/post/${rkey}`;
}

/** X: `https://x.com/i/web/status/<id>` (no author needed); a direct message has none. */
export function xPostUrl(post: PostLink): string | null {
  if (isDirect(post) || !DIGITS.test(post.externalId)) return null;
  return `https://x.com/i/web/status/${post.externalId}`;
}

/**
 * Facebook: a Page comment's id is `<post object id>_<comment id>`; its permalink is the post's
 * with `?comment_id=` (*unverified* beyond Meta's documented id form). A Messenger message or a
 * private reply (direct) has none.
 */
export function facebookCommentUrl(post: PostLink): string | null {
  if (isDirect(post)) return null;
  const parts = post.externalId.split('_');
  if (parts.length !== 2) return null;
  const [object, comment] = parts as [string, string];
  if (!DIGITS.test(object) || !DIGITS.test(comment)) return null;
  return `https://www.facebook.com/${object}?comment_id=${comment}`;
}

/**
 * Instagram: a comment's URL needs the media's permalink (its shortcode), which neither the
 * comment's id nor the webhook gives: unknown.
 */
export function instagramCommentUrl(_post: PostLink): string | null {
  return null;
}
