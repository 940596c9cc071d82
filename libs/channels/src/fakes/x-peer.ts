import { randomBytes } from 'node:crypto';
import { FakeServer, type FakeRequest, type FakeResponse } from './fake-server';

/** A post as the fake X stores it (every field; a query gets only those it asks for). */
export interface XTweet {
  id: string;
  text: string;
  edit_history_tweet_ids: string[];
  author_id: string;
  created_at: string;
  conversation_id: string;
  in_reply_to_user_id?: string;
  referenced_tweets?: { type: 'replied_to' | 'quoted'; id: string }[];
  lang?: string;
}

export interface XUser {
  id: string;
  username: string;
  name: string;
}

/** What our side posted: a reply (`tweet`) or a direct message (`dm`). */
export interface XPosted {
  kind: 'tweet' | 'dm';
  id: string;
  text: string;
  /** The post answered (tweets). */
  inReplyToTweetId?: string;
  /** The customer written to (direct messages). */
  participantId?: string;
  createdAt: string;
}

export interface XMentionInput {
  text?: string;
  /** The customer: an existing or new user (created with a realistic id when no id is given). */
  author?: Partial<XUser>;
  /** The post this one answers (its conversation is kept). */
  inReplyTo?: string;
  lang?: string;
  createdAt?: Date;
}

type Endpoint = 'me' | 'mentions' | 'tweets' | 'dm' | 'token';

export interface XPeerOptions {
  userId?: string;
  username?: string;
  name?: string;
  clientId?: string;
  /**
   * Items per mentions page, whatever `max_results` says (a benchmark may ask for pages far
   * larger than X's 100). Unset: `max_results` (X's default 10).
   */
  pageSize?: number;
  /** Only the newest this many mentions are reachable (X: 800). */
  reachable?: number;
  /** Requests per 15-minute window per endpoint (X: mentions 300, users/me 75, posts 100, DMs 200). */
  limits?: Partial<Record<Endpoint, number>>;
  /** Access token lifetime in seconds (X: 7200). */
  tokenLifetimeSeconds?: number;
  now?: () => Date;
}

const WINDOW_MS = 15 * 60 * 1000;
const SNOWFLAKE_EPOCH_MS = 1288834974657n;
const DEFAULT_LIMITS: Record<Endpoint, number> = {
  me: 75,
  mentions: 300,
  tweets: 100,
  dm: 200,
  token: 1000,
};
const DEFAULT_TWEET_FIELDS = new Set(['id', 'text', 'edit_history_tweet_ids']);
const SCOPE = 'tweet.read users.read tweet.write offline.access dm.write';

/**
 * A fake X API v2 on 127.0.0.1: the subset CHANNELS.md documents (users/me, mentions with
 * since_id / pagination_token paging and field selection, posts, direct messages, the OAuth 2
 * token endpoint with rotating refresh tokens), bearer checks, rate-limit headers on every
 * answer, and switches for tests (throttle, fail, expire the token).
 */
export class XPeer {
  readonly userId: string;
  readonly username: string;
  readonly clientId: string;
  accessToken = token();
  refreshToken = token();
  /** Items per mentions page (see XPeerOptions.pageSize); may be changed between requests. */
  pageSize: number | undefined;
  /** What our side posted, in order. */
  readonly posted: XPosted[] = [];
  /** Refresh tokens used up (a second use is refused with invalid_grant). */
  readonly usedRefreshTokens = new Set<string>();

  readonly server: FakeServer;
  private readonly now: () => Date;
  private readonly users = new Map<string, XUser>();
  /** Every post mentioning the account, oldest first. */
  private readonly mentionList: XTweet[] = [];
  private readonly tweets = new Map<string, XTweet>();
  private readonly tokens = new Map<string, { beforeId: bigint }>();
  private readonly limits: Record<Endpoint, number>;
  private readonly windows = new Map<Endpoint, { start: number; used: number }>();
  private readonly reachable: number;
  private readonly tokenLifetimeMs: number;
  private accessExpiresAt: number;
  private lastSnowflake = 0n;
  private userSeq = 0;
  private throttles: { resetAt: Date; times: number }[] = [];
  private failures: { status: number; times: number; path?: string }[] = [];
  private tokenExpiry: { times: number; skip: number } | null = null;

  constructor(options: XPeerOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.userId = options.userId ?? '1500000000000000001';
    this.username = options.username ?? 'DemoEnergie';
    this.clientId = options.clientId ?? 'M1M5R3BMVy13QmpScXkzTUt5OE46MTpjaQ';
    this.pageSize = options.pageSize;
    this.reachable = options.reachable ?? 800;
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.tokenLifetimeMs = (options.tokenLifetimeSeconds ?? 7200) * 1000;
    this.accessExpiresAt = this.now().getTime() + this.tokenLifetimeMs;
    this.users.set(this.userId, {
      id: this.userId,
      username: this.username,
      name: options.name ?? 'Demo Energie',
    });
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

  async close(): Promise<void> {
    await this.server.close();
  }

  /** A customer mentions the account: the stored post (all fields). */
  mention(input: XMentionInput = {}): XTweet {
    const author = this.user(input.author);
    const createdAt = input.createdAt ?? this.now();
    const id = this.snowflake(createdAt);
    const parent = input.inReplyTo ? this.tweets.get(input.inReplyTo) : undefined;
    if (input.inReplyTo && !parent) throw new Error(`no post ${input.inReplyTo} to answer`);
    const tweet: XTweet = {
      id,
      text: input.text ?? `@${this.username} hulp nodig met mijn rekening`,
      edit_history_tweet_ids: [id],
      author_id: author.id,
      created_at: createdAt.toISOString(),
      conversation_id: parent ? parent.conversation_id : id,
      lang: input.lang ?? 'nl',
    };
    if (parent) {
      tweet.in_reply_to_user_id = parent.author_id;
      tweet.referenced_tweets = [{ type: 'replied_to', id: parent.id }];
    }
    this.tweets.set(id, tweet);
    this.mentionList.push(tweet);
    return tweet;
  }

  /** `count` mentions by different customers, oldest first. */
  mentionMany(count: number, input: Omit<XMentionInput, 'author'> = {}): XTweet[] {
    return Array.from({ length: count }, (_, i) =>
      this.mention({ text: `@${this.username} vraag ${i + 1}`, ...input }),
    );
  }

  /** All mentions, oldest first. */
  get mentions(): readonly XTweet[] {
    return this.mentionList;
  }

  tweet(id: string): XTweet | undefined {
    return this.tweets.get(id);
  }

  /** The access token expires now: its next use answers 401. */
  expireAccessToken(): void {
    this.accessExpiresAt = this.now().getTime() - 1;
  }

  /**
   * The next `times` requests with the access token (after `afterCalls` that pass) answer 401,
   * whatever its expiry says (X's clock ran ahead, or it revoked the token early); the token
   * stays dead, a refreshed one works.
   */
  expireTokenOnNextCall(options: { times?: number; afterCalls?: number } = {}): void {
    this.tokenExpiry = { times: options.times ?? 1, skip: options.afterCalls ?? 0 };
  }

  /** The next `times` requests answer 429 (X's code 88) with `x-rate-limit-reset` = resetAt. */
  throttleNext(resetAt: Date, times = 1): void {
    this.throttles.push({ resetAt, times });
  }

  /** The next `times` requests (to `path` when given) answer `status` (5xx, typically). */
  failNext(status: number, times = 1, path?: string): void {
    this.failures.push({ status, times, path });
  }

  private async handle(req: FakeRequest): Promise<FakeResponse> {
    const endpoint = this.endpointOf(req);
    const failure = this.failures.find((f) => !f.path || f.path === req.path);
    if (failure) {
      if (--failure.times <= 0) this.failures.splice(this.failures.indexOf(failure), 1);
      return problem(failure.status, 'Service Unavailable', 'Service Unavailable');
    }
    if (!endpoint) return problem(404, 'Not Found Error', `no route ${req.method} ${req.path}`);

    const throttle = this.throttles[0];
    if (throttle) {
      if (--throttle.times <= 0) this.throttles.shift();
      return this.tooMany(Math.floor(throttle.resetAt.getTime() / 1000));
    }
    const window = this.window(endpoint);
    const limit = this.limits[endpoint];
    const reset = Math.floor((window.start + WINDOW_MS) / 1000);
    if (window.used >= limit) return this.tooMany(reset, limit);
    window.used += 1;
    const headers = {
      'x-rate-limit-limit': String(limit),
      'x-rate-limit-remaining': String(limit - window.used),
      'x-rate-limit-reset': String(reset),
    };

    let response: FakeResponse;
    if (endpoint === 'token') {
      response = this.tokenEndpoint(req);
    } else if (!this.authorised(req)) {
      response = problem(401, 'Unauthorized', 'Unauthorized');
    } else if (this.takeTokenExpiry()) {
      this.expireAccessToken();
      response = problem(401, 'Unauthorized', 'Unauthorized');
    } else if (endpoint === 'me') {
      response = { status: 200, json: { data: this.users.get(this.userId) } };
    } else if (endpoint === 'mentions') {
      response = this.mentionsEndpoint(req);
    } else if (endpoint === 'tweets') {
      response = this.postTweet(req);
    } else {
      response = this.postDm(req);
    }
    return { ...response, headers: { ...headers, ...response.headers } };
  }

  private takeTokenExpiry(): boolean {
    const expiry = this.tokenExpiry;
    if (!expiry) return false;
    if (expiry.skip > 0) {
      expiry.skip -= 1;
      return false;
    }
    if (--expiry.times <= 0) this.tokenExpiry = null;
    return true;
  }

  private endpointOf(req: FakeRequest): Endpoint | null {
    if (req.method === 'GET' && req.path === '/2/users/me') return 'me';
    if (req.method === 'GET' && /^\/2\/users\/[^/]+\/mentions$/.test(req.path)) return 'mentions';
    if (req.method === 'POST' && req.path === '/2/tweets') return 'tweets';
    if (req.method === 'POST' && /^\/2\/dm_conversations\/with\/[^/]+\/messages$/.test(req.path))
      return 'dm';
    if (req.method === 'POST' && req.path === '/2/oauth2/token') return 'token';
    return null;
  }

  private authorised(req: FakeRequest): boolean {
    return (
      req.headers.authorization === `Bearer ${this.accessToken}` &&
      this.now().getTime() < this.accessExpiresAt
    );
  }

  private tokenEndpoint(req: FakeRequest): FakeResponse {
    const form = (req.parsed ?? {}) as Record<string, string>;
    if (!String(req.headers['content-type'] ?? '').includes('x-www-form-urlencoded')) {
      return oauthError(400, 'invalid_request', 'Missing required parameter [grant_type].');
    }
    if (form.grant_type !== 'refresh_token') {
      return oauthError(400, 'unsupported_grant_type', 'Only refresh_token is served here.');
    }
    if (form.client_id !== this.clientId) {
      return oauthError(400, 'invalid_client', 'Missing valid authorization header');
    }
    if (!form.refresh_token || form.refresh_token !== this.refreshToken) {
      return oauthError(400, 'invalid_grant', 'Value passed for the token was invalid.');
    }
    // Rotation: the old refresh token and the old access token stop working at once (the old
    // access token's fate is *unverified*; the stricter choice proves the new one is used).
    this.usedRefreshTokens.add(this.refreshToken);
    this.refreshToken = token();
    this.accessToken = token();
    this.accessExpiresAt = this.now().getTime() + this.tokenLifetimeMs;
    return {
      status: 200,
      json: {
        token_type: 'bearer',
        expires_in: this.tokenLifetimeMs / 1000,
        access_token: this.accessToken,
        scope: SCOPE,
        refresh_token: this.refreshToken,
      },
    };
  }

  private mentionsEndpoint(req: FakeRequest): FakeResponse {
    const id = req.path.split('/')[3];
    if (!this.users.has(id)) {
      return {
        status: 200,
        json: {
          errors: [
            {
              value: id,
              detail: `Could not find user with id: [${id}].`,
              title: 'Not Found Error',
              resource_type: 'user',
              parameter: 'id',
              resource_id: id,
              type: 'https://api.twitter.com/2/problems/resource-not-found',
            },
          ],
        },
      };
    }
    const q = req.query;
    const problems: string[] = [];
    const maxResults = q.has('max_results') ? Number(q.get('max_results')) : 10;
    if (!Number.isInteger(maxResults) || maxResults < 5 || maxResults > 100) {
      problems.push(
        `The \`max_results\` query parameter value [${q.get('max_results')}] is not between 5 and 100`,
      );
    }
    for (const key of ['since_id', 'until_id']) {
      const value = q.get(key);
      if (value !== null && !/^\d{1,19}$/.test(value)) {
        problems.push(`The \`${key}\` query parameter value [${value}] is not valid`);
      }
    }
    let beforeId: bigint | null = null;
    const paginationToken = q.get('pagination_token');
    if (paginationToken !== null) {
      const state = this.tokens.get(paginationToken);
      if (!state) {
        problems.push(
          `The \`pagination_token\` query parameter value [${paginationToken}] is not valid`,
        );
      } else beforeId = state.beforeId;
    }
    if (problems.length > 0) {
      return {
        status: 400,
        json: {
          errors: problems.map((message) => ({ parameters: {}, message })),
          title: 'Invalid Request',
          detail: 'One or more parameters to your request was invalid.',
          type: 'https://api.twitter.com/2/problems/invalid-request',
        },
      };
    }

    const sinceId = q.has('since_id') ? BigInt(q.get('since_id')!) : null;
    const untilId = q.has('until_id') ? BigInt(q.get('until_id')!) : null;
    const own = id === this.userId ? this.mentionList : [];
    // Newest first; only the newest `reachable` are reachable at all.
    const reachable = own.slice(Math.max(0, own.length - this.reachable)).reverse();
    const matching = reachable.filter((t) => {
      const tid = BigInt(t.id);
      return (
        (sinceId === null || tid > sinceId) &&
        (untilId === null || tid < untilId) &&
        (beforeId === null || tid < beforeId)
      );
    });
    const size = this.pageSize ?? maxResults;
    const page = matching.slice(0, size);
    const meta: Record<string, unknown> = { result_count: page.length };
    if (page.length > 0) {
      meta.newest_id = page[0].id;
      meta.oldest_id = page[page.length - 1].id;
    }
    if (matching.length > page.length) {
      const next = randomBytes(9).toString('base64url').toLowerCase();
      this.tokens.set(next, { beforeId: BigInt(page[page.length - 1].id) });
      meta.next_token = next;
    }
    if (page.length === 0) return { status: 200, json: { meta } };

    // Field selection as X does it: defaults plus what was asked (both spellings accepted).
    const fields = new Set(DEFAULT_TWEET_FIELDS);
    for (const key of ['tweet.fields', 'post.fields']) {
      for (const f of (q.get(key) ?? '').split(',')) if (f) fields.add(f);
    }
    const data = page.map((t) =>
      Object.fromEntries(Object.entries(t).filter(([key]) => fields.has(key))),
    );
    const body: Record<string, unknown> = { data, meta };
    const expansions = (q.get('expansions') ?? '').split(',');
    if (expansions.includes('author_id')) {
      const authors = [...new Set(page.map((t) => t.author_id))];
      body.includes = { users: authors.map((a) => this.users.get(a)) };
    }
    return { status: 200, json: body };
  }

  private postTweet(req: FakeRequest): FakeResponse {
    const body = req.parsed as { text?: unknown; reply?: { in_reply_to_tweet_id?: unknown } };
    if (typeof body !== 'object' || body === null || typeof body.text !== 'string' || !body.text) {
      return invalid('text: must be a non-empty string');
    }
    // A rough guard only (code points): X counts weighted characters (twitter-text).
    if ([...body.text.normalize('NFC')].length > 280) return invalid('Text is too long');
    const parentId = body.reply?.in_reply_to_tweet_id;
    let parent: XTweet | undefined;
    if (parentId !== undefined) {
      parent = typeof parentId === 'string' ? this.tweets.get(parentId) : undefined;
      if (!parent) {
        return problem(
          403,
          'Forbidden',
          'You attempted to reply to a Tweet that is deleted or not visible to you.',
        );
      }
    }
    if (this.posted.some((p) => p.kind === 'tweet' && p.text === body.text)) {
      return problem(
        403,
        'Forbidden',
        'You are not allowed to create a Tweet with duplicate content.',
      );
    }
    const now = this.now();
    const id = this.snowflake(now);
    const tweet: XTweet = {
      id,
      text: body.text,
      edit_history_tweet_ids: [id],
      author_id: this.userId,
      created_at: now.toISOString(),
      conversation_id: parent ? parent.conversation_id : id,
    };
    if (parent) {
      tweet.in_reply_to_user_id = parent.author_id;
      tweet.referenced_tweets = [{ type: 'replied_to', id: parent.id }];
    }
    this.tweets.set(id, tweet);
    this.posted.push({
      kind: 'tweet',
      id,
      text: body.text,
      inReplyToTweetId: parent?.id,
      createdAt: tweet.created_at,
    });
    return {
      status: 201,
      json: { data: { id, text: body.text, edit_history_tweet_ids: [id] } },
    };
  }

  private postDm(req: FakeRequest): FakeResponse {
    const participantId = req.path.split('/')[4];
    const body = req.parsed as { text?: unknown };
    if (typeof body !== 'object' || body === null || typeof body.text !== 'string' || !body.text) {
      return invalid('text: must be a non-empty string');
    }
    if (participantId === this.userId || !this.users.has(participantId)) {
      return problem(403, 'Forbidden', 'You cannot send messages to this user.');
    }
    const now = this.now();
    const eventId = this.snowflake(now);
    this.posted.push({
      kind: 'dm',
      id: eventId,
      text: body.text,
      participantId,
      createdAt: now.toISOString(),
    });
    const [a, b] = [this.userId, participantId].sort((x, y) => (BigInt(x) < BigInt(y) ? -1 : 1));
    return {
      status: 201,
      json: { data: { dm_conversation_id: `${a}-${b}`, dm_event_id: eventId } },
    };
  }

  private tooMany(resetSeconds: number, limit = 300): FakeResponse {
    return {
      status: 429,
      headers: {
        'x-rate-limit-limit': String(limit),
        'x-rate-limit-remaining': '0',
        'x-rate-limit-reset': String(resetSeconds),
      },
      json: { errors: [{ code: 88, message: 'Rate limit exceeded' }] },
    };
  }

  private window(endpoint: Endpoint): { start: number; used: number } {
    const now = this.now().getTime();
    let window = this.windows.get(endpoint);
    if (!window || now >= window.start + WINDOW_MS) {
      window = { start: now, used: 0 };
      this.windows.set(endpoint, window);
    }
    return window;
  }

  private user(input: Partial<XUser> = {}): XUser {
    const existing = input.id ? this.users.get(input.id) : undefined;
    if (existing) return existing;
    this.userSeq += 1;
    const id = input.id ?? String(1700000000000000000n + BigInt(this.userSeq) * 7919n);
    const user: XUser = {
      id,
      username: input.username ?? `klant_${this.userSeq}`,
      name: input.name ?? `Klant ${this.userSeq}`,
    };
    this.users.set(id, user);
    return user;
  }

  /** A snowflake id for the time, strictly increasing. */
  private snowflake(at: Date): string {
    const candidate = (BigInt(at.getTime()) - SNOWFLAKE_EPOCH_MS) << 22n;
    this.lastSnowflake = candidate > this.lastSnowflake ? candidate : this.lastSnowflake + 1n;
    return this.lastSnowflake.toString();
  }
}

function token(): string {
  return randomBytes(32).toString('base64url');
}

function problem(status: number, title: string, detail: string): FakeResponse {
  return { status, json: { title, detail, type: 'about:blank', status } };
}

function invalid(message: string): FakeResponse {
  return {
    status: 400,
    json: {
      errors: [{ message }],
      title: 'Invalid Request',
      detail: 'One or more parameters to your request was invalid.',
      type: 'https://api.twitter.com/2/problems/invalid-request',
    },
  };
}

function oauthError(status: number, error: string, description: string): FakeResponse {
  return { status, json: { error, error_description: description } };
}
