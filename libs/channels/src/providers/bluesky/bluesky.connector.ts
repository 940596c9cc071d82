import { CHANNEL_LENGTH_RULES } from '@toonbank/shared';
import { createHash } from 'node:crypto';
import type {
  ConfigField,
  ChannelCapabilities,
  ChannelConnector,
  ChannelCursor,
  ConnectedAccount,
  FetchedPage,
  InboundItem,
  OutboundReply,
  ParseOptions,
  RefreshOptions,
  VerifiedAccount,
  LinkAccount,
  PostLink,
} from '../../connector';
import { blueskyPostUrl } from '../../external-urls';
import {
  AuthExpired,
  ChannelError,
  CredentialsInvalid,
  InvalidPayload,
  Permanent,
  RateLimited,
  TokenExpired,
  Transient,
  rejectionReason,
} from '../../errors';
import { channelUrlProblems } from '../../http/address-policy';
import type { HttpAnswer, HttpRequest, SafeHttp } from '../../http/safe-http';
import { retryAtAfterThrottle } from '../../rate-limit';
import {
  BLUESKY_DEFAULT_PLC_DIRECTORY_URL,
  DID_DOCUMENT_MAX_BYTES,
  IDENTITY_TIMEOUT_MS,
  resolvePds,
} from './did-resolver';
import { linkFacets } from './link-facets';
import { isTid, tidFor } from './tid';
import { withoutTrailingSlashes } from '../../http/trailing-slashes';

/** What may be shown of a Bluesky channel. */
export type BlueskyConfig = {
  /** The account's PDS or entryway (https://bsky.social by default). */
  serviceUrl: string;
  /** The handle (or DID, or e-mail) to log in with, as the admin gave it. */
  identifier: string;
};

/** A session of com.atproto.server.createSession, kept so that polls never log in. */
export type BlueskySession = {
  accessJwt: string;
  refreshJwt: string;
  did: string;
  handle: string;
  /** When the access token expires (its `exp`, read without verifying), ISO-8601. */
  accessExpiresAt: string;
};

export type BlueskySecrets = {
  appPassword: string;
  session?: BlueskySession;
};

/** The newest notification seen: polling reads from the top down to it. */
export type BlueskyCursor = {
  /** null (with indexedAt null) when the account had no mentions at all: everything is new. */
  uri: string | null;
  indexedAt: string | null;
};

export interface BlueskyConnectorOptions {
  /** listNotifications `limit` (the channel allows 1–100; a benchmark peer may allow more). */
  pageSize?: number;
  /** The clock for post times and session expiry (tests). */
  clock?: () => Date;
  /** The DID PLC directory that resolves `did:plc` identities (https://plc.directory). */
  plcDirectoryUrl?: string;
}

type BlueskyAccount = ConnectedAccount<BlueskyConfig, BlueskySecrets>;
type StrongRef = { uri: string; cid: string };

export const BLUESKY_DEFAULT_SERVICE_URL = 'https://bsky.social';
const POST_COLLECTION = 'app.bsky.feed.post';
const INBOUND_REASONS = new Set(['mention', 'reply']);
const MAX_GRAPHEMES = 300;
const MAX_TEXT_BYTES = 3000;
/** Refresh the access token when it expires within this long. */
const REFRESH_MARGIN_MS = 5 * 60_000;
/** Assumed lifetime of an access token whose `exp` cannot be read. */
const UNKNOWN_EXPIRY_MS = 10 * 60_000;
/** Errors of an XRPC server that mean the token is no good (400 on a PDS, 401 on the entryway). */
const TOKEN_ERRORS = new Set(['ExpiredToken', 'InvalidToken']);
const DUPLICATE_ANSWER = /already exists|already a value at key|duplicate/i;

const HANDLE =
  /^([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/;
const DID = /^did:[a-z]+:[a-zA-Z0-9._:%-]*[a-zA-Z0-9._-]$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function validTime(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms);
}

/** The `exp` of a JWT (not verified: only to know when to refresh). */
export function jwtExpiry(jwt: string): Date | null {
  const part = jwt.split('.')[1];
  if (!part) return null;
  try {
    const payload: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    if (isObject(payload) && typeof payload.exp === 'number' && Number.isFinite(payload.exp))
      return new Date(payload.exp * 1000);
  } catch {
    return null;
  }
  return null;
}

/** Graphemes, as Bluesky counts a post's length. */
export function graphemeCount(text: string): number {
  let count = 0;
  for (const _ of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text))
    count += 1;
  return count;
}

function xrpcError(answer: HttpAnswer): { error: string; message: string } {
  const body = isObject(answer.json) ? answer.json : {};
  const error = typeof body.error === 'string' ? body.error : `HTTP ${answer.status}`;
  const message =
    typeof body.message === 'string' ? body.message : answer.json ? '' : answer.text.slice(0, 200);
  return { error, message };
}

function errorText(answer: HttpAnswer): string {
  const { error, message } = xrpcError(answer);
  return message ? `${error}: ${message}` : error;
}

/** When to try again after a 429: RateLimit-Reset (epoch seconds), else Retry-After, else a minute. */
function retryAt(answer: HttpAnswer, now: Date): Date {
  return retryAtAfterThrottle(
    [answer.headers['ratelimit-reset'], answer.headers['retry-after']],
    now,
  );
}

function isTokenRefusal(answer: HttpAnswer): boolean {
  return answer.status === 401 || TOKEN_ERRORS.has(xrpcError(answer).error);
}

function strongRef(value: unknown): StrongRef | null {
  if (!isObject(value)) return null;
  const { uri, cid } = value;
  return typeof uri === 'string' && uri.startsWith('at://') && nonEmptyString(cid)
    ? { uri, cid }
    : null;
}

function blobCid(blob: unknown): string | null {
  if (!isObject(blob)) return null;
  if (isObject(blob.ref) && nonEmptyString(blob.ref.$link)) return blob.ref.$link;
  return nonEmptyString(blob.cid) ? blob.cid : null; // the legacy blob shape
}

/** Images and link cards of a post's embed (the image URLs use Bluesky's CDN: *unverified*). */
function attachmentsOf(embed: unknown, did: string): InboundItem['attachments'] {
  if (!isObject(embed)) return [];
  const type = embed.$type;
  if (type === 'app.bsky.embed.recordWithMedia') return attachmentsOf(embed.media, did);
  if (type === 'app.bsky.embed.images' && Array.isArray(embed.images)) {
    return embed.images.flatMap((image: unknown) => {
      const cid = isObject(image) ? blobCid(image.image) : null;
      return cid
        ? [
            {
              type: 'image',
              url: `https://cdn.bsky.app/img/feed_fullsize/plain/${encodeURIComponent(did)}/${encodeURIComponent(cid)}@jpeg`,
            },
          ]
        : [];
    });
  }
  if (type === 'app.bsky.embed.external' && isObject(embed.external)) {
    const uri = embed.external.uri;
    if (typeof uri === 'string' && /^https?:\/\//i.test(uri)) return [{ type: 'link', url: uri }];
  }
  return [];
}

/**
 * A notification of app.bsky.notification.listNotifications as an inbound item. Throws
 * InvalidPayload (with the reason) when it lacks what a message needs.
 */
export function normaliseBlueskyNotification(raw: unknown): InboundItem {
  if (!isObject(raw)) throw new InvalidPayload('notification: not an object');
  const problems: string[] = [];
  const uri = raw.uri;
  if (typeof uri !== 'string' || !uri.startsWith('at://')) problems.push('uri: missing');
  const author = isObject(raw.author) ? raw.author : null;
  const did = author?.did;
  if (typeof did !== 'string' || !did.startsWith('did:')) problems.push('author.did: missing');
  const record = isObject(raw.record) ? raw.record : null;
  if (!record) problems.push('record: missing');
  const createdAt = validTime(record?.createdAt) ?? validTime(raw.indexedAt);
  if (record && !createdAt) problems.push('record.createdAt: missing');
  if (problems.length > 0) throw new InvalidPayload(problems.join('; '));

  const handle = nonEmptyString(author?.handle) ? author.handle : null;
  const displayName =
    typeof author?.displayName === 'string' ? plain(author.displayName).trim() || null : null;
  const reply = isObject(record!.reply) ? record!.reply : null;
  const parent = isObject(reply?.parent) ? reply.parent : null;
  const root = isObject(reply?.root) ? reply.root : null;
  const langs = Array.isArray(record!.langs) ? record!.langs : [];
  return {
    externalId: uri as string,
    authorExternalId: did as string,
    authorHandle: handle ? `@${handle}` : (did as string),
    authorName: displayName,
    // Bluesky text is plain: an "&amp;" in it is what the customer typed.
    text: typeof record!.text === 'string' ? plain(record!.text) : '',
    createdAt: createdAt!,
    inReplyToExternalId: typeof parent?.uri === 'string' ? parent.uri : null,
    threadRootExternalId: typeof root?.uri === 'string' ? root.uri : null,
    visibility: 'public',
    language: nonEmptyString(langs[0]) ? langs[0] : null,
    attachments: attachmentsOf(record!.embed, did as string),
    raw,
  };
}

/** Text as stored: NUL characters (which PostgreSQL text refuses) dropped, nothing else. */
function plain(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '') : text;
}

function cursorOf(raw: unknown): BlueskyCursor | null {
  if (!isObject(raw)) return null;
  const { uri, indexedAt } = raw;
  return typeof uri === 'string' && uri.startsWith('at://') && validTime(indexedAt)
    ? { uri, indexedAt: indexedAt as string }
    : null;
}

function readCursor(cursor: ChannelCursor | null): BlueskyCursor | null {
  if (!cursor) return null;
  const { uri, indexedAt } = cursor;
  if (uri === null && indexedAt === null) return { uri: null, indexedAt: null };
  if (typeof uri === 'string' && typeof indexedAt === 'string') return { uri, indexedAt };
  return null; // not ours: start again as a new channel
}

/** True for a notification at or below the newest one seen (its own uri, or indexed earlier). */
function alreadySeen(raw: unknown, seen: BlueskyCursor): boolean {
  if (seen.uri === null || !isObject(raw)) return false;
  if (raw.uri === seen.uri) return true;
  const at = validTime(raw.indexedAt);
  const seenAt = validTime(seen.indexedAt);
  return at !== null && seenAt !== null && at.getTime() < seenAt.getTime();
}

/**
 * Bluesky through the AT Protocol XRPC API (CHANNELS.md): an app-password session kept in the
 * secrets and refreshed, mentions and replies polled from listNotifications, replies posted
 * with createRecord under a record key derived from the reply (a retry cannot post twice).
 */
export class BlueskyConnector implements ChannelConnector<BlueskyConfig, BlueskySecrets> {
  readonly capabilities: ChannelCapabilities = {
    provider: 'bluesky',
    ingest: 'poll',
    directMessages: false,
    idempotentSend: true,
    length: CHANNEL_LENGTH_RULES.bluesky.public,
  };

  // CHANNELS.md §Bluesky: { serviceUrl?, identifier, appPassword }
  readonly configFields: readonly ConfigField[] = [
    {
      key: 'identifier',
      label: 'Handle, DID or e-mail address',
      kind: 'text',
      required: true,
      placeholder: 'naam.bsky.social',
    },
    { key: 'appPassword', label: 'App password', kind: 'secret', required: true },
    {
      key: 'serviceUrl',
      label: 'Address of the server (PDS)',
      kind: 'url',
      required: false,
      placeholder: BLUESKY_DEFAULT_SERVICE_URL,
    },
  ];

  private readonly pageSize: number;
  private readonly clock: () => Date;
  private readonly plcDirectoryUrl: string;
  /**
   * Access tokens the channel refused before their `exp` (revoked, clock skew), remembered in
   * this process (as hashes) so that the next refresh() renews them instead of trusting `exp`.
   */
  private readonly refusedTokens = new Set<string>();

  constructor(options: BlueskyConnectorOptions = {}) {
    const pageSize = options.pageSize ?? 50;
    if (!Number.isInteger(pageSize) || pageSize < 1)
      throw new RangeError('pageSize must be a positive integer');
    this.pageSize = pageSize;
    this.clock = options.clock ?? (() => new Date());
    this.plcDirectoryUrl = options.plcDirectoryUrl ?? BLUESKY_DEFAULT_PLC_DIRECTORY_URL;
  }

  parseConfig(
    input: unknown,
    options: ParseOptions = { allowInsecureUrls: false },
  ): { config: BlueskyConfig; secrets: BlueskySecrets; externalAccountId: string | null } {
    if (!isObject(input)) throw new InvalidPayload('config: must be an object');
    const problems: string[] = [];

    let serviceUrl = BLUESKY_DEFAULT_SERVICE_URL;
    if (input.serviceUrl !== undefined && input.serviceUrl !== null && input.serviceUrl !== '') {
      const urlProblems = channelUrlProblems(input.serviceUrl, options.allowInsecureUrls);
      for (const problem of urlProblems) problems.push(`serviceUrl: ${problem}`);
      if (urlProblems.length === 0) {
        const url = new URL(input.serviceUrl as string);
        if (url.search || url.hash) problems.push('serviceUrl: must not have a query or fragment');
        serviceUrl = `${url.origin}${withoutTrailingSlashes(url.pathname)}`;
      }
    }

    let identifier = '';
    if (typeof input.identifier !== 'string' || input.identifier.trim() === '') {
      problems.push('identifier: required (the handle, DID or e-mail of the account)');
    } else {
      identifier = input.identifier.trim().replace(/^@/, '');
      if (
        identifier.length > 253 ||
        !(HANDLE.test(identifier) || DID.test(identifier) || EMAIL.test(identifier))
      )
        problems.push('identifier: must be a handle (name.bsky.social), a DID or an e-mail');
    }

    if (typeof input.appPassword !== 'string' || input.appPassword.trim() === '')
      problems.push('appPassword: required');
    else if (input.appPassword.length > 256) problems.push('appPassword: too long');

    if (problems.length > 0) throw new InvalidPayload(problems.join('; '));
    return {
      config: {
        serviceUrl,
        identifier: DID.test(identifier) ? identifier : identifier.toLowerCase(),
      },
      secrets: { appPassword: (input.appPassword as string).trim() },
      externalAccountId: DID.test(identifier) ? identifier : null,
    };
  }

  /** The post's public URL (external-urls.ts). */
  externalUrl(_account: LinkAccount<BlueskyConfig>, post: PostLink): string | null {
    return blueskyPostUrl(post);
  }

  /** The record key of a reply: a TID, derived before the first attempt and stored with it. */
  newIdempotencyKey(replyId: string, now: Date): string {
    return tidFor(replyId, now);
  }

  /**
   * Logs in, then proves the account is the one its DID names: whoever runs `serviceUrl` chooses
   * the DID its login answers, so the DID is resolved (PLC directory or did:web) and the PDS its
   * document names must confirm the session (getSession). An entryway such as bsky.social, whose
   * PDS is another host, passes the same way.
   */
  async verify(account: BlueskyAccount, http: SafeHttp): Promise<VerifiedAccount<BlueskySecrets>> {
    let session: BlueskySession;
    try {
      session = await this.createSession(account, http);
    } catch (error) {
      if (error instanceof AuthExpired) throw new CredentialsInvalid(error.message);
      throw error;
    }
    await this.confirmIdentity(session, http);
    return {
      handle: `@${session.handle}`,
      externalAccountId: session.did,
      secrets: { ...account.secrets, session },
    };
  }

  private async confirmIdentity(session: BlueskySession, http: SafeHttp): Promise<void> {
    const pds = await resolvePds(session.did, http, this.plcDirectoryUrl);
    const answer = await http.send({
      url: `${pds}/xrpc/com.atproto.server.getSession`,
      headers: { authorization: `Bearer ${session.accessJwt}` },
      timeoutMs: IDENTITY_TIMEOUT_MS,
      maxBodyBytes: DID_DOCUMENT_MAX_BYTES,
    });
    const host = new URL(pds).host;
    if (answer.status === 429 || answer.status >= 500)
      throw new Transient(`the PDS of ${session.did} (${host}): ${errorText(answer)}`);
    if (answer.status !== 200)
      throw new CredentialsInvalid(
        `the PDS of ${session.did} (${host}) does not know this session (${errorText(answer)})`,
      );
    if (!isObject(answer.json) || answer.json.did !== session.did)
      throw new CredentialsInvalid(
        `the PDS of ${session.did} (${host}) answered for another account`,
      );
  }

  async refresh(
    account: BlueskyAccount,
    http: SafeHttp,
    now: Date,
    options: RefreshOptions = {},
  ): Promise<BlueskySecrets | null> {
    const current = account.secrets.session;
    if (current) {
      const expiresAt = Date.parse(current.accessExpiresAt);
      const refused = this.refusedTokens.delete(tokenHash(current.accessJwt)) || options.force;
      if (!refused && Number.isFinite(expiresAt) && expiresAt - now.getTime() > REFRESH_MARGIN_MS)
        return null;
      const answer = await http.send({
        method: 'POST',
        url: this.xrpc(account, 'com.atproto.server.refreshSession'),
        headers: { authorization: `Bearer ${current.refreshJwt}` },
      });
      if (answer.status >= 200 && answer.status < 300) {
        return {
          ...account.secrets,
          session: this.sameAccount(account, this.sessionFrom(answer, now)),
        };
      }
      if (answer.status === 429) throw new RateLimited(retryAt(answer, now));
      if (answer.status >= 500) throw new Transient(`Bluesky refreshSession: ${errorText(answer)}`);
      // Refused (expired or revoked refresh token): log in again, the scarce way.
    }
    const session = this.sameAccount(account, await this.createSession(account, http, now));
    return { ...account.secrets, session };
  }

  /** A renewed session must be of the account that was connected (and confirmed) by its DID. */
  private sameAccount(account: BlueskyAccount, session: BlueskySession): BlueskySession {
    if (account.externalAccountId && session.did !== account.externalAccountId)
      throw new AuthExpired(
        `Bluesky logged in as ${session.did}, not the connected ${account.externalAccountId}; reconnect the channel`,
      );
    return session;
  }

  async *fetch(
    account: BlueskyAccount,
    cursor: ChannelCursor | null,
    http: SafeHttp,
  ): AsyncGenerator<FetchedPage> {
    const session = this.sessionOf(account);
    const seen = readCursor(cursor);
    let newest: BlueskyCursor | null = null;
    let pageCursor: string | null = null;
    const asked = new Set<string>();
    for (let first = true; ; first = false) {
      const query = new URLSearchParams([
        ['reasons', 'mention'],
        ['reasons', 'reply'],
        ['limit', String(this.pageSize)],
      ]);
      if (pageCursor !== null) query.set('cursor', pageCursor);
      const answer = await this.call(http, {
        url: `${this.xrpc(account, 'app.bsky.notification.listNotifications')}?${query}`,
        headers: { authorization: `Bearer ${session.accessJwt}` },
      });
      const body = answer.json;
      if (!isObject(body) || !Array.isArray(body.notifications))
        throw new Transient('Bluesky listNotifications: unexpected answer (no notifications)');
      const notifications: unknown[] = body.notifications;

      const page: FetchedPage = { items: [], rejected: [], cursor: null };
      let reachedSeen = false;
      for (const raw of notifications) {
        if (seen && alreadySeen(raw, seen)) {
          reachedSeen = true;
          break;
        }
        if (first && newest === null) newest = cursorOf(raw);
        const reason = isObject(raw) ? raw.reason : undefined;
        if (typeof reason === 'string' && !INBOUND_REASONS.has(reason)) continue; // likes, follows
        try {
          page.items.push(normaliseBlueskyNotification(raw));
        } catch (error) {
          // Whatever one item's reading throws, the rest of the page goes on (the poller quarantines it).
          page.rejected.push({ reason: rejectionReason(error), raw });
        }
      }

      const next = nonEmptyString(body.cursor) ? body.cursor : null;
      const last =
        seen === null || // a new channel: the newest page only
        reachedSeen ||
        next === null ||
        notifications.length === 0 ||
        asked.has(next); // a server that pages in a circle
      if (!last) {
        yield page;
        asked.add(next);
        pageCursor = next;
        continue;
      }
      if (newest) page.cursor = newest;
      else if (seen) page.cursor = seen;
      else if (notifications.length === 0) page.cursor = { uri: null, indexedAt: null };
      // else: a first page with nothing usable: stay a new channel (null).
      yield page;
      return;
    }
  }

  async send(
    account: BlueskyAccount,
    reply: OutboundReply,
    http: SafeHttp,
  ): Promise<{ externalId: string }> {
    if (reply.private) throw new Permanent('this channel has no direct messages');
    const session = this.sessionOf(account);
    const rkey = reply.idempotencyKey;
    if (!isTid(rkey)) throw new Permanent(`the reply's record key is not a TID: ${rkey}`);
    if (reply.text.trim() === '') throw new Permanent('the reply is empty');
    const graphemes = graphemeCount(reply.text);
    if (graphemes > MAX_GRAPHEMES || Buffer.byteLength(reply.text, 'utf8') > MAX_TEXT_BYTES)
      throw new Permanent(`the reply is too long for Bluesky (${graphemes} of 300 graphemes)`);

    const raw = reply.inReplyTo.raw;
    let parent = strongRef(raw);
    let root = isObject(raw) && isObject(raw.record) ? replyRoot(raw.record) : null;
    if (!parent) {
      // The raw payload is gone (retention) or was never kept: ask for the post itself.
      const post = await this.getPost(account, session, reply.inReplyTo.externalId, http);
      parent = { uri: post.uri, cid: post.cid };
      root = replyRoot(post.record);
    }

    const record: Record<string, unknown> = {
      $type: POST_COLLECTION,
      text: reply.text,
      createdAt: this.clock().toISOString(),
      reply: { root: root ?? parent, parent },
    };
    const facets = linkFacets(reply.text);
    if (facets.length > 0) record.facets = facets;

    const ownUri = `at://${session.did}/${POST_COLLECTION}/${rkey}`;
    const request: HttpRequest = {
      method: 'POST',
      url: this.xrpc(account, 'com.atproto.repo.createRecord'),
      headers: { authorization: `Bearer ${session.accessJwt}` },
      json: { repo: session.did, collection: POST_COLLECTION, rkey, record },
    };
    const answer = await http.send(request);
    if (answer.status >= 200 && answer.status < 300) {
      const uri = isObject(answer.json) ? answer.json.uri : undefined;
      return { externalId: typeof uri === 'string' && uri.startsWith('at://') ? uri : ownUri };
    }
    const { error, message } = xrpcError(answer);
    if (
      (answer.status === 400 || answer.status === 409 || answer.status >= 500) &&
      (error === 'InvalidSwap' || DUPLICATE_ANSWER.test(message) || DUPLICATE_ANSWER.test(error))
    ) {
      // The record key exists: an earlier attempt of this reply got through.
      return { externalId: ownUri };
    }
    if (answer.status >= 500 && (await this.recordExists(account, session, rkey, http))) {
      // The answer was lost, the post was not (or a server reports the duplicate as a 500).
      return { externalId: ownUri };
    }
    throw this.failure(answer, 'createRecord', request);
  }

  // ---------------------------------------------------------------------------------------

  private xrpc(account: BlueskyAccount, nsid: string): string {
    const base = withoutTrailingSlashes(account.config.serviceUrl || BLUESKY_DEFAULT_SERVICE_URL);
    return `${base}/xrpc/${nsid}`;
  }

  private sessionOf(account: BlueskyAccount): BlueskySession {
    const session = account.secrets.session;
    if (!session || !nonEmptyString(session.accessJwt) || !nonEmptyString(session.did))
      throw new AuthExpired('no Bluesky session yet: refresh the channel first');
    return session;
  }

  /** A request whose non-2xx answer becomes the right error (429, token refused, 5xx, 4xx). */
  private async call(http: SafeHttp, request: HttpRequest): Promise<HttpAnswer> {
    const answer = await http.send(request);
    if (answer.status >= 200 && answer.status < 300) return answer;
    throw this.failure(answer, new URL(request.url).pathname.split('/xrpc/').pop()!, request);
  }

  private failure(answer: HttpAnswer, what: string, request: HttpRequest): ChannelError {
    const now = this.clock();
    if (answer.status === 429) return new RateLimited(retryAt(answer, now));
    if (isTokenRefusal(answer)) {
      const bearer = /^Bearer (.+)$/.exec(request.headers?.authorization ?? '')?.[1];
      if (bearer) this.rememberRefused(bearer);
      return new TokenExpired(`Bluesky refused the session (${errorText(answer)})`);
    }
    if (answer.status >= 500 || answer.status === 408)
      return new Transient(`Bluesky ${what}: ${errorText(answer)}`);
    return new Permanent(`Bluesky ${what}: ${errorText(answer)}`);
  }

  private rememberRefused(accessJwt: string): void {
    if (this.refusedTokens.size >= 1000) this.refusedTokens.clear();
    this.refusedTokens.add(tokenHash(accessJwt));
  }

  private async createSession(
    account: BlueskyAccount,
    http: SafeHttp,
    now = this.clock(),
  ): Promise<BlueskySession> {
    const answer = await http.send({
      method: 'POST',
      url: this.xrpc(account, 'com.atproto.server.createSession'),
      json: { identifier: account.config.identifier, password: account.secrets.appPassword },
    });
    if (answer.status === 429) throw new RateLimited(retryAt(answer, now));
    if (answer.status >= 500) throw new Transient(`Bluesky createSession: ${errorText(answer)}`);
    if (answer.status < 200 || answer.status >= 300)
      throw new AuthExpired(
        `Bluesky refused the identifier or app password (${errorText(answer)}); reconnect the channel with a new app password`,
      );
    const body = isObject(answer.json) ? answer.json : {};
    if (body.active === false)
      throw new AuthExpired(
        `the Bluesky account is ${typeof body.status === 'string' ? body.status : 'not active'}`,
      );
    return this.sessionFrom(answer, now);
  }

  private sessionFrom(answer: HttpAnswer, now: Date): BlueskySession {
    const body = isObject(answer.json) ? answer.json : {};
    const { accessJwt, refreshJwt, did, handle } = body;
    if (
      !nonEmptyString(accessJwt) ||
      !nonEmptyString(refreshJwt) ||
      !nonEmptyString(did) ||
      !nonEmptyString(handle)
    )
      throw new AuthExpired('Bluesky answered the login without a session: is serviceUrl a PDS?');
    const expiresAt = jwtExpiry(accessJwt) ?? new Date(now.getTime() + UNKNOWN_EXPIRY_MS);
    return { accessJwt, refreshJwt, did, handle, accessExpiresAt: expiresAt.toISOString() };
  }

  /** The post being answered, when its raw payload is gone (app.bsky.feed.getPosts: *unverified*). */
  private async getPost(
    account: BlueskyAccount,
    session: BlueskySession,
    uri: string,
    http: SafeHttp,
  ): Promise<{ uri: string; cid: string; record: unknown }> {
    if (!uri.startsWith('at://'))
      throw new Permanent(`the message answered is not a Bluesky post: ${uri}`);
    const answer = await this.call(http, {
      url: `${this.xrpc(account, 'app.bsky.feed.getPosts')}?${new URLSearchParams({ uris: uri })}`,
      headers: { authorization: `Bearer ${session.accessJwt}` },
    });
    const posts =
      isObject(answer.json) && Array.isArray(answer.json.posts) ? answer.json.posts : [];
    const post: unknown = posts.find((p: unknown) => isObject(p) && p.uri === uri);
    const ref = strongRef(post);
    if (!ref) throw new Permanent(`the Bluesky post answered is gone: ${uri}`);
    return { ...ref, record: (post as Record<string, unknown>).record };
  }

  /** Whether our post with this record key exists (com.atproto.repo.getRecord). */
  private async recordExists(
    account: BlueskyAccount,
    session: BlueskySession,
    rkey: string,
    http: SafeHttp,
  ): Promise<boolean> {
    const query = new URLSearchParams({ repo: session.did, collection: POST_COLLECTION, rkey });
    try {
      const answer = await http.send({
        url: `${this.xrpc(account, 'com.atproto.repo.getRecord')}?${query}`,
        headers: { authorization: `Bearer ${session.accessJwt}` },
      });
      return answer.status === 200 && isObject(answer.json) && nonEmptyString(answer.json.cid);
    } catch {
      return false;
    }
  }
}

function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

function replyRoot(record: unknown): StrongRef | null {
  return isObject(record) && isObject(record.reply) ? strongRef(record.reply.root) : null;
}
