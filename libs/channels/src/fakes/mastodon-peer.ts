import { FakeServer, type FakeRequest, type FakeResponse } from './fake-server';

/** An account as Mastodon's API shows it (the fields the connectors read, and a few more). */
export interface MastodonPeerAccount {
  id: string;
  username: string;
  acct: string;
  display_name: string;
  url: string;
  [key: string]: unknown;
}

export interface MastodonPeerStatus {
  id: string;
  created_at: string;
  in_reply_to_id: string | null;
  in_reply_to_account_id: string | null;
  visibility: string;
  language: string | null;
  url: string;
  content: string;
  spoiler_text: string;
  mentions: { id: string; username: string; acct: string; url: string }[];
  media_attachments: { id: string; type: string; url: string | null; [key: string]: unknown }[];
  account: MastodonPeerAccount;
  [key: string]: unknown;
}

export interface MastodonPeerNotification {
  id: string;
  type: string;
  created_at: string;
  account: MastodonPeerAccount;
  status?: MastodonPeerStatus;
  [key: string]: unknown;
}

/** What the organisation's account posted through `POST /api/v1/statuses`. */
export interface MastodonPeerPosted {
  status: MastodonPeerStatus;
  /** The text as sent (`status` parameter). */
  text: string;
  inReplyToId: string | null;
  visibility: string;
  language: string | null;
  idempotencyKey: string | null;
}

export interface MastodonPeerOptions {
  /** The token the organisation's account uses (anything else is a 401). */
  accessToken?: string;
  /** The organisation's account on this instance. */
  username?: string;
  /** The instance's domain as shown in `acct` and URLs of local accounts. */
  domain?: string;
  /** Notifications per page when no `limit` is asked (Mastodon: 40). */
  pageSize?: number;
  /** The largest `limit` honoured (Mastodon: 80); a benchmark may raise it. */
  maxPageSize?: number;
  /**
   * Notifications per page whatever `limit` asks: a benchmark's storm served in pages far
   * larger than a real instance's (the connector asks for 40). Unset: Mastodon's paging.
   */
  servedPageSize?: number;
  /** Requests per rate-limit window before answering 429 (Mastodon: 300 per 5 minutes). */
  rateLimit?: number;
  rateLimitWindowMs?: number;
  /** The largest status in characters (Mastodon: 500). */
  maxCharacters?: number;
  /** The clock: created_at of new items, idempotency expiry and rate-limit windows. */
  now?: () => Date;
}

export interface MastodonMentionInput {
  /** `user` for a local account, `user@domain` for a remote one. */
  acct?: string;
  displayName?: string;
  /** Plain text: turned into Mastodon's HTML, after a mention of the organisation's account. */
  text?: string;
  /** Raw HTML content instead of `text` (for hostile or unusual content). */
  html?: string;
  spoilerText?: string;
  visibility?: 'public' | 'unlisted' | 'private' | 'direct';
  language?: string | null;
  inReplyToId?: string | null;
  media?: { type: string; url: string }[];
  createdAt?: Date;
  /** Fields to add to (or, with undefined, remove from) the status. */
  statusOverrides?: Record<string, unknown>;
}

const IDEMPOTENCY_TTL_MS = 60 * 60 * 1000;
const VISIBILITIES = new Set(['public', 'unlisted', 'private', 'direct']);

/**
 * A fake Mastodon instance speaking the documented subset of the API: verify_credentials,
 * notifications with Mastodon's `max_id` / `since_id` / `min_id` semantics and `Link` headers,
 * posting statuses (with `Idempotency-Key`), rate-limit headers on every answer.
 */
export class MastodonPeer {
  readonly server: FakeServer;
  /** Every status the organisation's account posted, in order. */
  readonly posted: MastodonPeerPosted[] = [];
  /** The organisation's account. */
  readonly account: MastodonPeerAccount;
  accessToken: string;
  pageSize: number;
  maxPageSize: number;
  servedPageSize: number | null;

  private readonly domain: string;
  private readonly now: () => Date;
  private readonly rateLimit: number;
  private readonly rateLimitWindowMs: number;
  private readonly maxCharacters: number;
  /** Every notification of the organisation's account, oldest first. */
  private readonly notificationList: MastodonPeerNotification[] = [];
  private readonly statuses = new Map<string, MastodonPeerStatus>();
  private readonly accounts = new Map<string, MastodonPeerAccount>();
  private readonly idempotency = new Map<string, { statusId: string; at: number }>();
  // From the clock: ids keep growing across restarts of a (demo) peer, as a real instance's do.
  private nextNotificationId = Date.now();
  private nextAccountId = 109_000_000_000_000_000n;
  private lastStatusId = 0n;
  private windowStart = 0;
  private used = 0;
  private throttles: { resetAt: Date | null }[] = [];
  private failures: { status: number; times: number } | null = null;
  private tokenRefusals = 0;

  constructor(options: MastodonPeerOptions = {}) {
    this.accessToken = options.accessToken ?? 'mastodon-test-token';
    this.domain = options.domain ?? 'social.example';
    this.pageSize = options.pageSize ?? 40;
    this.maxPageSize = options.maxPageSize ?? Math.max(80, this.pageSize);
    this.servedPageSize = options.servedPageSize ?? null;
    this.rateLimit = options.rateLimit ?? 300;
    this.rateLimitWindowMs = options.rateLimitWindowMs ?? 5 * 60 * 1000;
    this.maxCharacters = options.maxCharacters ?? 500;
    this.now = options.now ?? (() => new Date());
    this.account = this.accountFor(options.username ?? 'demo_energie', 'Demo Energie');
    this.server = new FakeServer((request) => this.handle(request));
  }

  async start(port = 0): Promise<this> {
    await this.server.start(port);
    return this;
  }

  get url(): string {
    return this.server.url;
  }

  /** Every request received. */
  get requests(): FakeRequest[] {
    return this.server.requests;
  }

  /** The notifications, oldest first. */
  get notifications(): readonly MastodonPeerNotification[] {
    return this.notificationList;
  }

  async close(): Promise<void> {
    await this.server.close();
  }

  /** A customer mentions the organisation's account: answers the new notification. */
  mention(input: MastodonMentionInput = {}): MastodonPeerNotification {
    const author = this.accountFor(input.acct ?? 'ana@other.example', input.displayName);
    const createdAt = input.createdAt ?? this.now();
    const id = this.newStatusId(createdAt);
    const host = author.acct.includes('@') ? author.acct.split('@')[1] : this.domain;
    const content =
      input.html ?? mentionHtml(this.account, this.domain, input.text ?? 'Hallo, ik heb een vraag');
    const status: MastodonPeerStatus = {
      id,
      created_at: createdAt.toISOString(),
      in_reply_to_id: input.inReplyToId ?? null,
      in_reply_to_account_id: input.inReplyToId
        ? (this.statuses.get(input.inReplyToId)?.account.id ?? this.account.id)
        : null,
      sensitive: false,
      spoiler_text: input.spoilerText ?? '',
      visibility: input.visibility ?? 'public',
      language: input.language === undefined ? 'nl' : input.language,
      uri: `https://${host}/users/${author.username}/statuses/${id}`,
      url: `https://${host}/@${author.username}/${id}`,
      replies_count: 0,
      reblogs_count: 0,
      favourites_count: 0,
      content,
      reblog: null,
      application: null,
      mentions: [
        {
          id: this.account.id,
          username: this.account.username,
          acct: this.account.acct,
          url: this.account.url,
        },
      ],
      tags: [],
      emojis: [],
      card: null,
      poll: null,
      media_attachments: (input.media ?? []).map((media, index) => ({
        id: `${id}${index}`,
        type: media.type,
        url: media.url,
        preview_url: media.url,
        remote_url: null,
        description: null,
      })),
      account: author,
    };
    for (const [key, value] of Object.entries(input.statusOverrides ?? {})) {
      if (value === undefined) delete status[key];
      else status[key] = value;
    }
    this.statuses.set(id, status);
    return this.addNotification('mention', author, status, createdAt);
  }

  /** Another kind of notification (a favourite, a follow), which `types[]=mention` leaves out. */
  notify(type: string, acct = 'bo@elsewhere.example'): MastodonPeerNotification {
    return this.addNotification(type, this.accountFor(acct), undefined, this.now());
  }

  /** The next `times` requests are answered 429, with `X-RateLimit-Reset: resetAt`. */
  throttleNext(resetAt: Date | null = new Date(this.now().getTime() + 60_000), times = 1): void {
    for (let i = 0; i < times; i += 1) this.throttles.push({ resetAt });
  }

  /**
   * The next `times` requests with the access token are answered 401 although the token is
   * good (Mastodon's tokens have no expiry: a refusal the next request may not repeat).
   */
  expireTokenOnNextCall(times = 1): void {
    this.tokenRefusals += times;
  }

  /** The next `times` requests are answered with `status` (a 5xx by default). */
  failNext(status = 503, times = 1): void {
    this.failures = { status, times };
  }

  /** A status by id (what the organisation posted, or a customer's). */
  status(id: string): MastodonPeerStatus | undefined {
    return this.statuses.get(id);
  }

  private async handle(request: FakeRequest): Promise<FakeResponse> {
    const limits = this.countRequest();
    if (this.throttles.length > 0) {
      const { resetAt } = this.throttles.shift()!;
      const headers: Record<string, string> = { ...limits, 'x-ratelimit-remaining': '0' };
      if (resetAt) headers['x-ratelimit-reset'] = resetAt.toISOString();
      else delete headers['x-ratelimit-reset'];
      return {
        status: 429,
        headers,
        json: { error: 'Too many requests' },
      };
    }
    if (Number(limits['x-ratelimit-remaining']) < 0) {
      return {
        status: 429,
        headers: { ...limits, 'x-ratelimit-remaining': '0' },
        json: { error: 'Too many requests' },
      };
    }
    if (this.failures && this.failures.times > 0) {
      this.failures.times -= 1;
      const { status } = this.failures;
      if (this.failures.times === 0) this.failures = null;
      return { status, headers: limits, text: '<html><body>Bad gateway</body></html>' };
    }
    const answer = await this.route(request);
    return { ...answer, headers: { ...limits, ...answer.headers } };
  }

  private route(request: FakeRequest): FakeResponse {
    const { method, path } = request;
    if (method === 'GET' && path === '/api/v2/instance') return this.instance();
    if (method === 'GET' && path.startsWith('/api/v1/statuses/')) {
      const status = this.statuses.get(path.slice('/api/v1/statuses/'.length));
      return status ? { status: 200, json: status } : notFound();
    }
    const known =
      (method === 'GET' && path === '/api/v1/accounts/verify_credentials') ||
      (method === 'GET' && path === '/api/v1/notifications') ||
      (method === 'POST' && path === '/api/v1/statuses');
    if (!known) return notFound();
    const authorization = String(request.headers.authorization ?? '');
    if (!authorization.startsWith('Bearer ')) {
      return { status: 401, json: { error: 'This method requires an authenticated user' } };
    }
    if (authorization.slice('Bearer '.length) !== this.accessToken) {
      return { status: 401, json: { error: 'The access token is invalid' } };
    }
    if (this.tokenRefusals > 0) {
      this.tokenRefusals -= 1;
      return { status: 401, json: { error: 'The access token is invalid' } };
    }
    if (path === '/api/v1/accounts/verify_credentials') {
      return { status: 200, json: { ...this.account, source: { privacy: 'public', note: '' } } };
    }
    if (path === '/api/v1/notifications') return this.listNotifications(request.query);
    return this.postStatus(request);
  }

  private instance(): FakeResponse {
    return {
      status: 200,
      json: {
        domain: this.domain,
        title: 'Fake Mastodon',
        version: '4.3.0',
        configuration: {
          statuses: {
            max_characters: this.maxCharacters,
            max_media_attachments: 4,
            characters_reserved_per_url: 23,
          },
        },
      },
    };
  }

  /** Mastodon's paging: newest first; `max_id` older than, `since_id` newest newer than, `min_id` just newer than. */
  private listNotifications(query: URLSearchParams): FakeResponse {
    const limitParam = Number(query.get('limit') ?? this.pageSize);
    const limit =
      this.servedPageSize ??
      Math.min(
        Math.max(1, Number.isFinite(limitParam) ? Math.floor(limitParam) : this.pageSize),
        this.maxPageSize,
      );
    const types = query.getAll('types[]');
    const excluded = new Set(query.getAll('exclude_types[]'));
    const maxId = query.get('max_id');
    const sinceId = query.get('since_id');
    const minId = query.get('min_id');
    const wanted = (n: MastodonPeerNotification) =>
      (types.length === 0 || types.includes(n.type)) && !excluded.has(n.type);
    // The list is in id order: the window between the bounds, found by bisection, so that a
    // storm of pages does not filter every notification once a page.
    const after = minId ?? sinceId;
    const from = after === null ? 0 : this.firstAbove(after);
    const to = maxId === null ? this.notificationList.length : this.firstAbove(maxId, true);
    // min_id (which wins over since_id): the page just after it, shown newest first. Otherwise
    // the newest page, also below since_id: that is the gap a since_id poll leaves.
    const candidates: MastodonPeerNotification[] = [];
    if (minId !== null) {
      for (let i = from; i < to && candidates.length < limit; i++) {
        if (wanted(this.notificationList[i])) candidates.push(this.notificationList[i]);
      }
      candidates.reverse();
    } else {
      for (let i = to - 1; i >= from && candidates.length < limit; i--) {
        if (wanted(this.notificationList[i])) candidates.push(this.notificationList[i]);
      }
    }
    const headers: Record<string, string> = {};
    if (candidates.length > 0) {
      const keep = new URLSearchParams();
      for (const type of types) keep.append('types[]', type);
      for (const type of excluded) keep.append('exclude_types[]', type);
      if (query.has('limit')) keep.set('limit', String(limit));
      const link = (key: string, value: string): string => {
        const params = new URLSearchParams(keep);
        params.set(key, value);
        return `${this.url}/api/v1/notifications?${params.toString()}`;
      };
      const links: string[] = [];
      if (candidates.length === limit) {
        links.push(`<${link('max_id', candidates[candidates.length - 1].id)}>; rel="next"`);
      }
      links.push(`<${link('min_id', candidates[0].id)}>; rel="prev"`);
      headers.link = links.join(', ');
    }
    return { status: 200, headers, json: candidates };
  }

  private postStatus(request: FakeRequest): FakeResponse {
    const body = (request.parsed ?? {}) as Record<string, unknown>;
    const key = request.headers['idempotency-key'];
    const idempotencyKey = typeof key === 'string' && key !== '' ? key : null;
    const nowMs = this.now().getTime();
    if (idempotencyKey) {
      const seen = this.idempotency.get(idempotencyKey);
      if (seen && nowMs - seen.at < IDEMPOTENCY_TTL_MS) {
        return { status: 200, json: this.statuses.get(seen.statusId) };
      }
    }
    const text = typeof body.status === 'string' ? body.status : '';
    const errors: string[] = [];
    if (text.trim() === '') errors.push("Text can't be blank");
    else if (countCharacters(text) > this.maxCharacters) {
      errors.push(`Text character limit of ${this.maxCharacters} exceeded`);
    }
    const visibility = body.visibility === undefined ? 'public' : String(body.visibility);
    if (!VISIBILITIES.has(visibility)) errors.push('Visibility is not included in the list');
    if (errors.length > 0)
      return { status: 422, json: { error: `Validation failed: ${errors.join(', ')}` } };
    const inReplyToId =
      typeof body.in_reply_to_id === 'string' && body.in_reply_to_id !== ''
        ? body.in_reply_to_id
        : null;
    const parent = inReplyToId ? this.statuses.get(inReplyToId) : undefined;
    if (inReplyToId && !parent) {
      return {
        status: 404,
        json: { error: 'The post you are trying to reply to does not appear to exist.' },
      };
    }
    const language = typeof body.language === 'string' && body.language ? body.language : null;
    const created = this.now();
    const id = this.newStatusId(created);
    const status: MastodonPeerStatus = {
      id,
      created_at: created.toISOString(),
      in_reply_to_id: inReplyToId,
      in_reply_to_account_id: parent?.account.id ?? null,
      sensitive: false,
      spoiler_text: '',
      visibility,
      language,
      uri: `https://${this.domain}/users/${this.account.username}/statuses/${id}`,
      url: `https://${this.domain}/@${this.account.username}/${id}`,
      content: `<p>${escapeHtml(text).replace(/\n/g, '<br />')}</p>`,
      mentions: mentionsIn(text, (acct) => this.accountFor(acct)),
      media_attachments: [],
      account: this.account,
    };
    this.statuses.set(id, status);
    if (idempotencyKey) this.idempotency.set(idempotencyKey, { statusId: id, at: nowMs });
    this.posted.push({
      status,
      text,
      inReplyToId,
      visibility,
      language,
      idempotencyKey,
    });
    return { status: 200, json: status };
  }

  private addNotification(
    type: string,
    account: MastodonPeerAccount,
    status: MastodonPeerStatus | undefined,
    createdAt: Date,
  ): MastodonPeerNotification {
    this.nextNotificationId += 1;
    const notification: MastodonPeerNotification = {
      id: String(this.nextNotificationId),
      type,
      created_at: createdAt.toISOString(),
      account,
      ...(status ? { status } : {}),
    };
    this.notificationList.push(notification);
    return notification;
  }

  /** The index of the first notification with an id above `id` (or, `orEqual`, not below it). */
  private firstAbove(id: string, orEqual = false): number {
    let low = 0;
    let high = this.notificationList.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const order = compareIds(this.notificationList[middle].id, id);
      if (order > 0 || (orEqual && order === 0)) high = middle;
      else low = middle + 1;
    }
    return low;
  }

  private accountFor(acct: string, displayName?: string): MastodonPeerAccount {
    const known = this.accounts.get(acct.toLowerCase());
    if (known) return known;
    const [username, host] = acct.split('@');
    this.nextAccountId += 1n + BigInt(Math.floor(Math.random() * 1000));
    const account: MastodonPeerAccount = {
      id: String(this.nextAccountId),
      username,
      acct,
      display_name: displayName ?? username,
      url: `https://${host ?? this.domain}/@${username}`,
      locked: false,
      bot: false,
      created_at: '2023-01-01T00:00:00.000Z',
      avatar: `https://${this.domain}/avatars/original/missing.png`,
      followers_count: 3,
      following_count: 5,
      statuses_count: 12,
    };
    this.accounts.set(acct.toLowerCase(), account);
    return account;
  }

  /** Snowflake-like, as Mastodon's: milliseconds << 16, plus a sequence; always increasing. */
  private newStatusId(at: Date): string {
    let id = (BigInt(at.getTime()) << 16n) + BigInt(Math.floor(Math.random() * 1000));
    if (id <= this.lastStatusId) id = this.lastStatusId + 1n;
    this.lastStatusId = id;
    return String(id);
  }

  private countRequest(): Record<string, string> {
    const nowMs = this.now().getTime();
    if (nowMs - this.windowStart >= this.rateLimitWindowMs) {
      this.windowStart = nowMs - (nowMs % this.rateLimitWindowMs);
      this.used = 0;
    }
    this.used += 1;
    return {
      'x-ratelimit-limit': String(this.rateLimit),
      'x-ratelimit-remaining': String(this.rateLimit - this.used),
      'x-ratelimit-reset': new Date(this.windowStart + this.rateLimitWindowMs).toISOString(),
    };
  }
}

function notFound(): FakeResponse {
  return { status: 404, json: { error: 'Record not found' } };
}

/** Orders Mastodon ids as the integers they are. */
function compareIds(a: string, b: string): number {
  if (a.length !== b.length && /^\d+$/.test(a) && /^\d+$/.test(b)) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** The HTML Mastodon makes of a status that starts with a mention of `account`. */
function mentionHtml(account: MastodonPeerAccount, domain: string, text: string): string {
  const mention =
    `<span class="h-card" translate="no"><a href="https://${domain}/@${account.username}" ` +
    `class="u-url mention">@<span>${account.username}</span></a></span>`;
  const paragraphs = text.split(/\n{2,}/);
  return paragraphs
    .map(
      (paragraph, index) =>
        `<p>${index === 0 ? `${mention} ` : ''}${escapeHtml(paragraph).replace(/\n/g, '<br />')}</p>`,
    )
    .join('');
}

/** Mastodon's count: every URL is 23 characters, `@user@domain` counts as `@user`; graphemes. */
function countCharacters(text: string): number {
  const countable = text
    .replace(/https?:\/\/[^\s<>"]+/g, 'x'.repeat(23))
    .replace(/@([a-z0-9_]+)@[a-z0-9.-]+[a-z0-9]/gi, '@$1');
  let count = 0;
  for (const _ of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(countable)) {
    count += 1;
  }
  return count;
}

function mentionsIn(
  text: string,
  accountFor: (acct: string) => MastodonPeerAccount,
): MastodonPeerStatus['mentions'] {
  const mentions: MastodonPeerStatus['mentions'] = [];
  for (const match of text.matchAll(/(?:^|\s)@([a-z0-9_]+(?:@[a-z0-9.-]+[a-z0-9])?)/gi)) {
    const account = accountFor(match[1]);
    mentions.push({
      id: account.id,
      username: account.username,
      acct: account.acct,
      url: account.url,
    });
  }
  return mentions;
}
