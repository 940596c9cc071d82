import { createHash, randomBytes } from 'node:crypto';
import { tidFor, isTid } from '../providers/bluesky/tid';
import { FakeServer, type FakeRequest, type FakeResponse } from './fake-server';
import type { FakePlcDirectory } from './plc-directory';

/** A strong reference to a post: what a reply points at. */
export interface BlueskyPostRef {
  uri: string;
  cid: string;
}

/** A post the organisation's account created through createRecord. */
export interface BlueskyPosted {
  uri: string;
  cid: string;
  rkey: string;
  repo: string;
  record: Record<string, unknown>;
  /** When the peer stored it. */
  at: Date;
}

export interface BlueskyMentionInput {
  /** The customer's handle (without `@`); a DID is derived from it. */
  handle?: string;
  /** The customer's display name; null for none (the field is then absent). */
  displayName?: string | null;
  text?: string;
  langs?: string[];
  /** The post this one answers (one of ours from `posted`, or a customer's post). */
  replyTo?: BlueskyPostRef & { record?: unknown };
  /** The indexing time (default: now, and always later than the previous item). */
  at?: Date;
}

export interface BlueskyPeerOptions {
  /** The organisation's account. */
  handle?: string;
  did?: string;
  /**
   * The PLC directory that names this peer as the account's PDS once started (what connecting
   * checks). Without one, the DID resolves nowhere unless the test publishes it.
   */
  plc?: FakePlcDirectory;
  email?: string;
  appPassword?: string;
  /** The largest listNotifications `limit` accepted (the channel: 100; benchmarks: more). */
  maxLimit?: number;
  /** Lifetime of access tokens (the real one: about 2 hours). */
  accessTtlSeconds?: number;
  refreshTtlSeconds?: number;
  /**
   * Status of a refused token: 401 like the bsky.social entryway (AuthRequiredError), or 400
   * like a self-hosted PDS (InvalidRequestError with ExpiredToken / InvalidToken).
   */
  tokenErrorStatus?: 400 | 401;
  /** How a createRecord with an existing record key is answered. */
  duplicateAnswer?: 'invalid-swap' | 'internal-error';
  /** Requests allowed per rate-limit window (the PDS: 3000 per 5 minutes). */
  rateLimit?: number;
  rateLimitWindowSeconds?: number;
}

interface StoredNotification {
  sortAt: number;
  reason: string;
  authorDid: string | null;
  raw: unknown;
}

interface StoredPost {
  uri: string;
  cid: string;
  author: Record<string, unknown>;
  record: Record<string, unknown>;
  indexedAt: string;
}

interface Token {
  did: string;
  expiresAt: number;
  kind: 'access' | 'refresh';
  revoked: boolean;
}

const POST = 'app.bsky.feed.post';
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

function base32(bytes: Buffer, length?: number): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return length === undefined ? out : out.slice(0, length);
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** A did:plc-shaped identifier (24 base32 characters) derived from a handle. */
export function fakeDid(handle: string): string {
  return `did:plc:${base32(sha256(`did:${handle}`), 24)}`;
}

/** A CIDv1 (dag-cbor, sha-256) of some content, written as base32 like the real ones. */
export function fakeCid(content: string): string {
  return `b${base32(Buffer.concat([Buffer.from([0x01, 0x71, 0x12, 0x20]), sha256(content)]))}`;
}

function jwt(header: Record<string, unknown>, payload: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part(header)}.${part(payload)}.${randomBytes(48).toString('base64url')}`;
}

function graphemes(text: string): number {
  let count = 0;
  for (const _ of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text))
    count += 1;
  return count;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStrongRef(value: unknown): boolean {
  return (
    isObject(value) &&
    typeof value.uri === 'string' &&
    value.uri.startsWith('at://') &&
    typeof value.cid === 'string' &&
    value.cid.length > 0
  );
}

function xrpcError(status: number, error: string, message: string): FakeResponse {
  return { status, json: { error, message } };
}

/**
 * A fake Bluesky PDS (entryway) for tests and the demo: the XRPC subset of CHANNELS.md over real
 * HTTP. Sessions (createSession, refreshSession with rotation, getSession), listNotifications newest first
 * with an older-going cursor and the `reasons` filter, createRecord (an existing record key is
 * refused: the connector's idempotency), getRecord, getPosts, rate-limit headers on every
 * answer, throttling and failures on demand.
 */
export class BlueskyPeer {
  readonly handle: string;
  readonly did: string;
  readonly email: string;
  appPassword: string;
  /** The largest `limit` listNotifications accepts. */
  maxLimit: number;
  /** Apply the `reasons` filter (false: an older server that sends likes and follows too). */
  filterReasons = true;
  /** Posts created through createRecord, in order. */
  readonly posted: BlueskyPosted[] = [];
  /** createSession calls that succeeded (logins are scarce on the real channel). */
  logins = 0;
  /** refreshSession calls that succeeded. */
  refreshes = 0;

  private readonly server: FakeServer;
  private readonly plc?: FakePlcDirectory;
  private readonly options: Required<
    Pick<
      BlueskyPeerOptions,
      | 'accessTtlSeconds'
      | 'refreshTtlSeconds'
      | 'tokenErrorStatus'
      | 'duplicateAnswer'
      | 'rateLimit'
      | 'rateLimitWindowSeconds'
    >
  >;
  private readonly notifications: StoredNotification[] = [];
  private sorted = true;
  private readonly posts = new Map<string, StoredPost>();
  private readonly tokens = new Map<string, Token>();
  private readonly muted = new Set<string>();
  private lastTime = 0;
  private failures: { status: number; times: number; nsid?: string }[] = [];
  private throttles: { resetAt: Date; times: number; nsid?: string }[] = [];
  private loseAnswers: { status: number; times: number }[] = [];
  private tokenExpiries: { status: 400 | 401; times: number; nsid?: string }[] = [];
  private window = { start: 0, count: 0 };

  constructor(options: BlueskyPeerOptions = {}) {
    this.handle = options.handle ?? 'demo-energie.bsky.social';
    this.did = options.did ?? fakeDid(this.handle);
    this.email = options.email ?? 'social@demo-energie.test';
    this.appPassword = options.appPassword ?? 'abcd-efgh-ijkl-mnop';
    this.maxLimit = options.maxLimit ?? 100;
    this.options = {
      accessTtlSeconds: options.accessTtlSeconds ?? 2 * 3600,
      refreshTtlSeconds: options.refreshTtlSeconds ?? 90 * 24 * 3600,
      tokenErrorStatus: options.tokenErrorStatus ?? 401,
      duplicateAnswer: options.duplicateAnswer ?? 'invalid-swap',
      rateLimit: options.rateLimit ?? 3000,
      rateLimitWindowSeconds: options.rateLimitWindowSeconds ?? 300,
    };
    this.plc = options.plc;
    this.server = new FakeServer((request) => this.serve(request));
  }

  async start(port = 0): Promise<this> {
    await this.server.start(port);
    this.plc?.publish({ did: this.did, handle: this.handle, pdsUrl: this.url });
    return this;
  }

  get url(): string {
    return this.server.url;
  }

  async close(): Promise<void> {
    await this.server.close();
  }

  /** Every request received, in order. */
  get requests(): FakeRequest[] {
    return this.server.requests;
  }

  /** The credentials of the organisation's account, as POST /api/channels takes them. */
  get config(): { serviceUrl: string; identifier: string; appPassword: string } {
    return { serviceUrl: this.url, identifier: this.handle, appPassword: this.appPassword };
  }

  // --- test helpers -----------------------------------------------------------------------

  /**
   * A customer writes a post that mentions the organisation (or, with `replyTo` one of our
   * posts, answers it): the notification is created and returned as listNotifications shows it.
   */
  mention(input: BlueskyMentionInput = {}): Record<string, unknown> {
    const handle = input.handle ?? 'ana.bsky.social';
    const did = fakeDid(handle);
    const at = this.nextTime(input.at);
    const createdAt = new Date(at.getTime() - 1000).toISOString();
    const text = input.text ?? `@${this.handle} mijn factuur klopt niet`;
    const record: Record<string, unknown> = {
      $type: POST,
      text,
      createdAt,
      langs: input.langs ?? ['nl'],
    };
    const mentionAt = text.indexOf(`@${this.handle}`);
    if (mentionAt >= 0) {
      const byteStart = Buffer.byteLength(text.slice(0, mentionAt));
      record.facets = [
        {
          $type: 'app.bsky.richtext.facet',
          index: { byteStart, byteEnd: byteStart + Buffer.byteLength(`@${this.handle}`) },
          features: [{ $type: 'app.bsky.richtext.facet#mention', did: this.did }],
        },
      ];
    }
    let reason = 'mention';
    if (input.replyTo) {
      const parent = { uri: input.replyTo.uri, cid: input.replyTo.cid };
      const parentRecord = input.replyTo.record ?? this.posts.get(parent.uri)?.record;
      const parentRoot =
        isObject(parentRecord) && isObject(parentRecord.reply) ? parentRecord.reply.root : null;
      record.reply = {
        root: isStrongRef(parentRoot) ? parentRoot : parent,
        parent,
      };
      if (parent.uri.startsWith(`at://${this.did}/`)) reason = 'reply';
    }
    const rkey = tidFor(`${did}:${at.getTime()}:${this.notifications.length}`, at);
    const uri = `at://${did}/${POST}/${rkey}`;
    const cid = fakeCid(JSON.stringify(record) + uri);
    const author: Record<string, unknown> = {
      did,
      handle,
      avatar: `https://cdn.bsky.app/img/avatar/plain/${did}/${fakeCid(handle)}@jpeg`,
      associated: { chat: { allowIncoming: 'following' } },
      viewer: { muted: false, blockedBy: false },
      labels: [],
      createdAt: '2024-02-01T12:00:00.000Z',
    };
    if (input.displayName !== null) author.displayName = input.displayName ?? 'Ana P';
    const indexedAt = at.toISOString();
    this.posts.set(uri, { uri, cid, author, record, indexedAt });
    const notification: Record<string, unknown> = {
      uri,
      cid,
      author,
      reason,
      ...(reason === 'reply' ? { reasonSubject: input.replyTo!.uri } : {}),
      record,
      isRead: false,
      indexedAt,
      labels: [],
    };
    this.store(notification, reason, did, at);
    return structuredClone(notification);
  }

  /** Several mentions by different customers, oldest first. */
  mentions(count: number, input: Omit<BlueskyMentionInput, 'at'> = {}): Record<string, unknown>[] {
    const created: Record<string, unknown>[] = [];
    for (let i = 0; i < count; i += 1)
      created.push(
        this.mention({
          handle: `customer${this.notifications.length + 1}.bsky.social`,
          text: `@${this.handle} vraag ${this.notifications.length + 1}`,
          ...input,
        }),
      );
    return created;
  }

  /**
   * Any notification, exactly as given (hostile or partial shapes, likes and follows); it is
   * listed by `at` (default now) and counts under `reason` (default: its own, else mention).
   */
  addNotification(raw: unknown, options: { at?: Date; reason?: string } = {}): void {
    const reason =
      options.reason ?? (isObject(raw) && typeof raw.reason === 'string' ? raw.reason : 'mention');
    const authorDid =
      isObject(raw) && isObject(raw.author) && typeof raw.author.did === 'string'
        ? raw.author.did
        : null;
    this.store(raw, reason, authorDid, this.nextTime(options.at));
  }

  /** Hide a customer's notifications (pages then hold fewer than `limit` items, like muting). */
  mute(handleOrDid: string): void {
    this.muted.add(handleOrDid.startsWith('did:') ? handleOrDid : fakeDid(handleOrDid));
  }

  /** The next `times` requests (to `nsid` only, when given) are answered 429 until `resetAt`. */
  throttleNext(resetAt: Date, times = 1, nsid?: string): void {
    this.throttles.push({ resetAt, times, nsid });
  }

  /** The next `times` requests (to `nsid` only, when given) fail with `status`. */
  failNext(status = 500, times = 1, nsid?: string): void {
    this.failures.push({ status, times, nsid });
  }

  /** The next createRecord is stored, but its answer is `status` (a lost answer). */
  loseNextAnswer(status = 502, times = 1): void {
    this.loseAnswers.push({ status, times });
  }

  /** Every access token expires now (the server's clock ran past them). */
  expireAccessTokens(): void {
    for (const token of this.tokens.values())
      if (token.kind === 'access') token.expiresAt = Date.now() - 1000;
  }

  /**
   * The next `times` calls with an access token (to `nsid` only, when given) are answered
   * `ExpiredToken`, whatever the token's own `exp` says: the server's clock ran ahead of it.
   * The token stays expired for the server; a refreshed session works. 400 like a PDS, 401
   * like the entryway.
   */
  expireTokenOnNextCall(options: { nsid?: string; status?: 400 | 401; times?: number } = {}): void {
    this.tokenExpiries.push({
      status: options.status ?? 400,
      times: options.times ?? 1,
      nsid: options.nsid,
    });
  }

  /** Every session ends (access and refresh tokens), like revoking the app password's sessions. */
  revokeSessions(): void {
    for (const token of this.tokens.values()) token.revoked = true;
  }

  /** The admin revoked the app password: sessions end and logins with it fail. */
  changeAppPassword(appPassword: string): void {
    this.appPassword = appPassword;
    this.revokeSessions();
  }

  /** The stored notifications, newest first, as listed. */
  listed(): unknown[] {
    return [...this.ascending()].reverse().map((n) => n.raw);
  }

  // --- the XRPC server --------------------------------------------------------------------

  private async serve(request: FakeRequest): Promise<FakeResponse> {
    const nsid = request.path.startsWith('/xrpc/') ? request.path.slice('/xrpc/'.length) : '';
    const response = this.answer(request, nsid);
    return { ...response, headers: { ...this.rateLimitHeaders(response), ...response.headers } };
  }

  private answer(request: FakeRequest, nsid: string): FakeResponse {
    const throttle = this.take(this.throttles, nsid);
    if (throttle) return this.throttled(throttle.resetAt);
    if (this.overLimit()) {
      return this.throttled(
        new Date(this.window.start + this.options.rateLimitWindowSeconds * 1000),
      );
    }
    const failure = this.take(this.failures, nsid);
    if (failure) {
      return failure.status === 502
        ? xrpcError(502, 'UpstreamFailure', 'Upstream Failure')
        : xrpcError(failure.status, 'InternalServerError', 'Internal Server Error');
    }
    const route = `${request.method} ${nsid}`;
    switch (route) {
      case 'POST com.atproto.server.createSession':
        return this.createSession(request);
      case 'POST com.atproto.server.refreshSession':
        return this.refreshSession(request);
      case 'GET com.atproto.server.getSession':
        return this.getSession(request);
      case 'GET app.bsky.notification.listNotifications':
        return this.listNotifications(request);
      case 'POST com.atproto.repo.createRecord':
        return this.createRecord(request);
      case 'GET com.atproto.repo.getRecord':
        return this.getRecord(request);
      case 'GET app.bsky.feed.getPosts':
        return this.getPosts(request);
      default:
        return nsid
          ? xrpcError(501, 'MethodNotImplemented', 'Method Not Implemented')
          : { status: 404, text: 'Not Found' };
    }
  }

  private take<T extends { times: number; nsid?: string }>(list: T[], nsid: string): T | null {
    const found = list.find((entry) => !entry.nsid || entry.nsid === nsid);
    if (!found) return null;
    found.times -= 1;
    if (found.times <= 0) list.splice(list.indexOf(found), 1);
    return found;
  }

  private throttled(resetAt: Date): FakeResponse {
    const seconds = Math.max(1, Math.ceil((resetAt.getTime() - Date.now()) / 1000));
    return {
      status: 429,
      headers: {
        'ratelimit-limit': String(this.options.rateLimit),
        'ratelimit-remaining': '0',
        'ratelimit-reset': String(Math.ceil(resetAt.getTime() / 1000)),
        'ratelimit-policy': `${this.options.rateLimit};w=${this.options.rateLimitWindowSeconds}`,
        'retry-after': String(seconds),
      },
      json: { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' },
    };
  }

  private overLimit(): boolean {
    const now = Date.now();
    const windowMs = this.options.rateLimitWindowSeconds * 1000;
    if (now - this.window.start >= windowMs) this.window = { start: now, count: 0 };
    this.window.count += 1;
    return this.window.count > this.options.rateLimit;
  }

  private rateLimitHeaders(response: FakeResponse): Record<string, string> {
    if (response.status === 429) return {};
    const { rateLimit, rateLimitWindowSeconds } = this.options;
    return {
      'ratelimit-limit': String(rateLimit),
      'ratelimit-remaining': String(Math.max(0, rateLimit - this.window.count)),
      'ratelimit-reset': String(
        Math.ceil((this.window.start + rateLimitWindowSeconds * 1000) / 1000),
      ),
      'ratelimit-policy': `${rateLimit};w=${rateLimitWindowSeconds}`,
    };
  }

  private nextTime(at?: Date): Date {
    const ms = at ? at.getTime() : Math.max(Date.now(), this.lastTime + 1);
    this.lastTime = Math.max(this.lastTime, ms);
    return new Date(ms);
  }

  private store(raw: unknown, reason: string, authorDid: string | null, at: Date): void {
    const last = this.notifications[this.notifications.length - 1];
    if (last && last.sortAt > at.getTime()) this.sorted = false;
    this.notifications.push({ sortAt: at.getTime(), reason, authorDid, raw });
  }

  /** Oldest first (stable for equal times: the order they were added). */
  private ascending(): StoredNotification[] {
    if (!this.sorted) {
      this.notifications.sort((a, b) => a.sortAt - b.sortAt);
      this.sorted = true;
    }
    return this.notifications;
  }

  private issueSession(): Record<string, unknown> {
    const now = Math.floor(Date.now() / 1000);
    const accessExp = now + this.options.accessTtlSeconds;
    const refreshExp = now + this.options.refreshTtlSeconds;
    const aud = 'did:web:bsky.social';
    const accessJwt = jwt(
      { typ: 'at+jwt', alg: 'ES256K' },
      { scope: 'com.atproto.appPass', sub: this.did, iat: now, exp: accessExp, aud },
    );
    const refreshJwt = jwt(
      { typ: 'refresh+jwt', alg: 'ES256K' },
      {
        scope: 'com.atproto.refresh',
        sub: this.did,
        aud,
        jti: randomBytes(32).toString('base64url'),
        iat: now,
        exp: refreshExp,
      },
    );
    this.tokens.set(accessJwt, {
      did: this.did,
      expiresAt: accessExp * 1000,
      kind: 'access',
      revoked: false,
    });
    this.tokens.set(refreshJwt, {
      did: this.did,
      expiresAt: refreshExp * 1000,
      kind: 'refresh',
      revoked: false,
    });
    return { accessJwt, refreshJwt, handle: this.handle, did: this.did, active: true };
  }

  private bearer(request: FakeRequest, kind: Token['kind']): Token | FakeResponse {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer (\S+)$/i.exec(header);
    if (!match) return xrpcError(401, 'AuthMissing', 'Authentication Required');
    const status = this.options.tokenErrorStatus;
    const token = this.tokens.get(match[1]);
    if (!token) return xrpcError(status, 'InvalidToken', 'Token could not be verified');
    if (token.kind !== kind) return xrpcError(status, 'InvalidToken', 'Bad token scope');
    if (token.revoked)
      return xrpcError(
        status,
        'ExpiredToken',
        kind === 'refresh' ? 'Token has been revoked' : 'Token has expired',
      );
    if (token.expiresAt <= Date.now())
      return xrpcError(status, 'ExpiredToken', 'Token has expired');
    const early =
      kind === 'access' ? this.take(this.tokenExpiries, request.path.slice('/xrpc/'.length)) : null;
    if (early) {
      token.expiresAt = Date.now() - 1000;
      return xrpcError(early.status, 'ExpiredToken', 'Token has expired');
    }
    return token;
  }

  private createSession(request: FakeRequest): FakeResponse {
    const body = isObject(request.parsed) ? request.parsed : {};
    const { identifier, password } = body;
    if (typeof identifier !== 'string' || typeof password !== 'string')
      return xrpcError(400, 'InvalidRequest', 'Input must have the property "identifier"');
    const id = identifier.toLowerCase().replace(/^@/, '');
    const known = id === this.handle || id === this.did || id === this.email.toLowerCase();
    if (!known || password !== this.appPassword)
      return xrpcError(401, 'AuthenticationRequired', 'Invalid identifier or password');
    this.logins += 1;
    return {
      status: 200,
      json: { ...this.issueSession(), email: this.email, emailConfirmed: true },
    };
  }

  private getSession(request: FakeRequest): FakeResponse {
    const token = this.bearer(request, 'access');
    if ('status' in token) return token;
    return {
      status: 200,
      json: {
        handle: this.handle,
        did: token.did,
        email: this.email,
        emailConfirmed: true,
        active: true,
      },
    };
  }

  private refreshSession(request: FakeRequest): FakeResponse {
    const token = this.bearer(request, 'refresh');
    if ('status' in token) return token;
    token.revoked = true; // rotation: the old refresh token is spent
    this.refreshes += 1;
    return { status: 200, json: this.issueSession() };
  }

  private listNotifications(request: FakeRequest): FakeResponse {
    const token = this.bearer(request, 'access');
    if ('status' in token) return token;
    const limitText = request.query.get('limit') ?? '50';
    const limit = Number(limitText);
    if (!/^\d+$/.test(limitText) || limit < 1 || limit > this.maxLimit)
      return xrpcError(400, 'InvalidRequest', `limit must be between 1 and ${this.maxLimit}`);
    const reasons = new Set(request.query.getAll('reasons'));
    const cursorText = request.query.get('cursor');
    let before = Number.POSITIVE_INFINITY;
    if (cursorText !== null) {
      before = Date.parse(cursorText);
      if (Number.isNaN(before)) return xrpcError(400, 'InvalidRequest', 'Malformed cursor');
    }
    const all = this.ascending();
    // The newest item older than the cursor (binary search: benchmarks list long histories).
    let low = 0;
    let high = all.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (all[mid].sortAt < before) low = mid + 1;
      else high = mid;
    }
    const window: StoredNotification[] = [];
    for (let i = low - 1; i >= 0 && window.length < limit; i -= 1) {
      const n = all[i];
      if (this.filterReasons && reasons.size > 0 && !reasons.has(n.reason)) continue;
      window.push(n);
    }
    // Hidden items are dropped after the window is cut, as the AppView does: short pages.
    const visible = window.filter((n) => !(n.authorDid && this.muted.has(n.authorDid)));
    const json: Record<string, unknown> = {
      notifications: visible.map((n) => structuredClone(n.raw)),
      priority: false,
    };
    if (window.length === limit)
      json.cursor = new Date(window[window.length - 1].sortAt).toISOString();
    return { status: 200, json };
  }

  private createRecord(request: FakeRequest): FakeResponse {
    const token = this.bearer(request, 'access');
    if ('status' in token) return token;
    const body = isObject(request.parsed) ? request.parsed : null;
    if (!body) return xrpcError(400, 'InvalidRequest', 'Request body must be JSON');
    const { repo, collection, rkey, record } = body;
    if (repo !== this.did && repo !== this.handle)
      return typeof repo === 'string' && (repo.startsWith('did:') || repo.includes('.'))
        ? xrpcError(401, 'AuthRequired', 'Authentication Required')
        : xrpcError(400, 'InvalidRequest', `Could not find repo: ${String(repo)}`);
    if (collection !== POST)
      return xrpcError(400, 'InvalidRequest', `this peer only stores ${POST} records`);
    if (rkey !== undefined && !isTid(rkey))
      return xrpcError(400, 'InvalidRequest', `Invalid record key: ${String(rkey)}`);
    const problem = this.postProblem(record);
    if (problem)
      return xrpcError(400, 'InvalidRequest', `Invalid app.bsky.feed.post record: ${problem}`);
    const key = (rkey as string | undefined) ?? tidFor(randomBytes(8).toString('hex'), new Date());
    const uri = `at://${this.did}/${POST}/${key}`;
    if (this.posts.has(uri)) {
      return this.options.duplicateAnswer === 'invalid-swap'
        ? xrpcError(400, 'InvalidSwap', `Record already exists at ${uri}`)
        : xrpcError(500, 'InternalServerError', `There is already a value at key: ${POST}/${key}`);
    }
    const stored = record as Record<string, unknown>;
    const cid = fakeCid(JSON.stringify(stored) + uri);
    const at = this.nextTime();
    this.posts.set(uri, {
      uri,
      cid,
      author: { did: this.did, handle: this.handle, displayName: 'Demo Energie', labels: [] },
      record: stored,
      indexedAt: at.toISOString(),
    });
    this.posted.push({ uri, cid, rkey: key, repo: this.did, record: stored, at });
    const lost = this.take(this.loseAnswers, '');
    if (lost) return xrpcError(lost.status, 'UpstreamFailure', 'Upstream Failure');
    return {
      status: 200,
      json: {
        uri,
        cid,
        commit: { cid: fakeCid(`commit:${uri}`), rev: tidFor(uri, at) },
        validationStatus: 'valid',
      },
    };
  }

  private postProblem(record: unknown): string | null {
    if (!isObject(record)) return 'Record must be an object';
    if (record.$type !== POST) return `Record/$type must be ${POST}`;
    if (typeof record.text !== 'string') return 'Record must have the property "text"';
    if (graphemes(record.text) > 300) return 'Record/text must not be longer than 300 graphemes';
    if (Buffer.byteLength(record.text) > 3000)
      return 'Record/text must not be longer than 3000 characters';
    if (typeof record.createdAt !== 'string' || Number.isNaN(Date.parse(record.createdAt)))
      return 'Record/createdAt must be an valid atproto datetime';
    if (record.reply !== undefined) {
      if (!isObject(record.reply)) return 'Record/reply must be an object';
      if (!isStrongRef(record.reply.root)) return 'Record/reply/root must be a strong ref';
      if (!isStrongRef(record.reply.parent)) return 'Record/reply/parent must be a strong ref';
    }
    return null;
  }

  private getRecord(request: FakeRequest): FakeResponse {
    const repo = request.query.get('repo');
    const collection = request.query.get('collection');
    const rkey = request.query.get('rkey');
    const did = repo === this.handle ? this.did : repo;
    const uri = `at://${did}/${collection}/${rkey}`;
    const post = this.posts.get(uri);
    if (!post) return xrpcError(400, 'RecordNotFound', `Could not locate record: ${uri}`);
    return { status: 200, json: { uri, cid: post.cid, value: post.record } };
  }

  private getPosts(request: FakeRequest): FakeResponse {
    const token = this.bearer(request, 'access');
    if ('status' in token) return token;
    const uris = request.query.getAll('uris');
    if (uris.length > 25) return xrpcError(400, 'InvalidRequest', 'uris can have at most 25 items');
    const posts = uris.flatMap((uri) => {
      const post = this.posts.get(uri);
      return post
        ? [
            {
              uri: post.uri,
              cid: post.cid,
              author: post.author,
              record: post.record,
              replyCount: 0,
              repostCount: 0,
              likeCount: 0,
              quoteCount: 0,
              indexedAt: post.indexedAt,
              labels: [],
            },
          ]
        : [];
    });
    return { status: 200, json: { posts } };
  }
}
