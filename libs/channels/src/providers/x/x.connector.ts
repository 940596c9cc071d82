import { CHANNEL_LENGTH_RULES } from '@toonbank/shared';
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
import { xPostUrl } from '../../external-urls';
import {
  Ambiguous,
  AuthExpired,
  CredentialsInvalid,
  InvalidPayload,
  NetworkError,
  Permanent,
  RateLimited,
  TokenExpired,
  Transient,
  rejectionReason,
} from '../../errors';
import { channelUrlProblems } from '../../http/address-policy';
import type { HttpAnswer, HttpRequest, SafeHttp } from '../../http/safe-http';
import { retryAtAfterThrottle } from '../../rate-limit';
import { withoutTrailingSlashes } from '../../http/trailing-slashes';

/** What may be shown of an X account. */
export interface XConfig {
  /** Default https://api.x.com. */
  apiBaseUrl: string;
  /** The organisation's X user id (a string of digits): the channel's external account id. */
  userId: string;
  /** The OAuth 2 client id of our X app (needed to refresh the user's token). */
  clientId: string;
}

/** The user-context OAuth 2 tokens (never shown). */
export interface XSecrets {
  accessToken: string;
  /** Rotates on every refresh: the new one must be stored at once, the old one is dead. */
  refreshToken: string;
  /** When the access token expires (ISO time), known once we have refreshed it ourselves. */
  accessExpiresAt?: string;
  /** When we got the access token (ISO time): its age decides a refresh while its expiry is unknown. */
  accessObtainedAt?: string;
}

/** Where polling goes on from: the newest tweet id already taken (`since_id`). */
export interface XCursor extends ChannelCursor {
  /** The newest mention seen; null when the account had none yet (read everything next time). */
  sinceId: string | null;
}

export interface XConnectorOptions {
  /** The clock (tests inject one). */
  now?: () => Date;
}

export const X_DEFAULT_API_BASE_URL = 'https://api.x.com';

/** User access tokens live two hours. */
const ACCESS_LIFETIME_MS = 2 * 60 * 60 * 1000;
/** Refresh when the token expires within this margin. */
const REFRESH_MARGIN_MS = 10 * 60 * 1000;
/** With no known expiry, a token older than this (1h45) is refreshed. */
const UNKNOWN_EXPIRY_MAX_AGE_MS = ACCESS_LIFETIME_MS - 15 * 60 * 1000;
/** X's largest page of mentions. */
const MAX_RESULTS = 100;
/** Twitter snowflake ids carry their creation time in milliseconds since this epoch. */
const SNOWFLAKE_EPOCH_MS = 1288834974657n;

const DIGITS = /^\d{1,20}$/;
/** Tokens go into a header and a form: printable ASCII without spaces. */
const TOKEN = /^[\x21-\x7e]{1,4096}$/;
/** X's `lang` values that are not a language: undetermined, no linguistic content, `q..` codes. */
const NOT_A_LANGUAGE = /^(und|zxx|q[a-t][a-z])$/;

const MENTION_FIELDS = {
  expansions: 'author_id',
  'user.fields': 'username,name',
  'tweet.fields': 'created_at,author_id,conversation_id,in_reply_to_user_id,referenced_tweets,lang',
};

type Operation = 'verify' | 'refresh' | 'fetch' | 'send';

/**
 * X API v2 (user context, OAuth 2), polled: mentions of the account since the stored tweet id,
 * replies in the customer's thread, or a direct message when the answer is private.
 */
export class XConnector implements ChannelConnector<XConfig, XSecrets> {
  readonly capabilities: ChannelCapabilities = {
    provider: 'x',
    ingest: 'poll',
    directMessages: true,
    // X has no idempotency key: a send that may have arrived is Ambiguous, never retried blindly.
    idempotentSend: false,
    length: CHANNEL_LENGTH_RULES.x.public,
  };

  // CHANNELS.md §X API v2: { apiBaseUrl?, userId, clientId, accessToken, refreshToken }
  readonly configFields: readonly ConfigField[] = [
    {
      key: 'userId',
      label: 'User id (digits)',
      kind: 'text',
      required: true,
      placeholder: '1234567890',
    },
    { key: 'clientId', label: 'Client id of the app', kind: 'text', required: true },
    { key: 'accessToken', label: 'Access token', kind: 'secret', required: true },
    { key: 'refreshToken', label: 'Refresh token', kind: 'secret', required: true },
    {
      key: 'apiBaseUrl',
      label: 'Address of the API',
      kind: 'url',
      required: false,
      placeholder: X_DEFAULT_API_BASE_URL,
    },
  ];

  private readonly now: () => Date;

  constructor(options: XConnectorOptions = {}) {
    this.now = options.now ?? (() => new Date());
  }

  parseConfig(
    input: unknown,
    options: ParseOptions = { allowInsecureUrls: false },
  ): { config: XConfig; secrets: XSecrets; externalAccountId: string } {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw new InvalidPayload('config: must be an object');
    }
    const raw = input as Record<string, unknown>;
    const problems: string[] = [];

    let apiBaseUrl = X_DEFAULT_API_BASE_URL;
    if (raw.apiBaseUrl !== undefined && raw.apiBaseUrl !== null && raw.apiBaseUrl !== '') {
      const urlProblems = channelUrlProblems(raw.apiBaseUrl, options.allowInsecureUrls);
      // Outside development and tests only X's own API host: the token's user is proved by it.
      if (
        !options.allowInsecureUrls &&
        typeof raw.apiBaseUrl === 'string' &&
        URL.canParse(raw.apiBaseUrl) &&
        new URL(raw.apiBaseUrl).host !== new URL(X_DEFAULT_API_BASE_URL).host
      ) {
        urlProblems.push(`must be on ${new URL(X_DEFAULT_API_BASE_URL).host}`);
      }
      if (urlProblems.length > 0) {
        problems.push(...urlProblems.map((p) => `apiBaseUrl: ${p}`));
      } else {
        const url = new URL(raw.apiBaseUrl as string);
        if (url.search || url.hash) problems.push('apiBaseUrl: must not have a query or fragment');
        apiBaseUrl = withoutTrailingSlashes(`${url.origin}${url.pathname}`);
      }
    }
    const userId = raw.userId;
    if (typeof userId !== 'string' || !DIGITS.test(userId)) {
      problems.push('userId: must be the numeric X user id, as a string');
    }
    const clientId = raw.clientId;
    if (typeof clientId !== 'string' || !TOKEN.test(clientId)) {
      problems.push('clientId: must be the OAuth 2 client id of the X app');
    }
    for (const field of ['accessToken', 'refreshToken'] as const) {
      const value = raw[field];
      if (typeof value !== 'string' || value.length === 0) {
        problems.push(`${field}: is required`);
      } else if (!TOKEN.test(value)) {
        problems.push(`${field}: must be a token (no spaces or control characters)`);
      }
    }
    if (problems.length > 0) throw new InvalidPayload(problems.join('; '));

    return {
      config: { apiBaseUrl, userId: userId as string, clientId: clientId as string },
      secrets: {
        accessToken: raw.accessToken as string,
        refreshToken: raw.refreshToken as string,
        // The expiry of a pasted token is unknown; its age counts from now.
        accessObtainedAt: this.now().toISOString(),
      },
      externalAccountId: userId as string,
    };
  }

  /** The post's public URL (external-urls.ts). */
  externalUrl(_account: LinkAccount<XConfig>, post: PostLink): string | null {
    return xPostUrl(post);
  }

  /** X has no idempotency key; the reply's id is kept for the record. */
  newIdempotencyKey(replyId: string, _now?: Date): string {
    return replyId;
  }

  async verify(
    account: ConnectedAccount<XConfig, XSecrets>,
    http: SafeHttp,
  ): Promise<VerifiedAccount<XSecrets>> {
    const answer = await this.call(http, 'verify', {
      url: `${account.config.apiBaseUrl}/2/users/me`,
      headers: bearer(account.secrets),
    });
    const data = objectAt(answer.json, 'data');
    const id = data?.id;
    const username = data?.username;
    if (typeof id !== 'string' || typeof username !== 'string' || username === '') {
      throw new Transient(`X answered /2/users/me without a user (${snippet(answer)})`);
    }
    if (id !== account.config.userId) {
      throw new CredentialsInvalid(
        `the access token belongs to @${username} (id ${id}), not to user ${account.config.userId}`,
      );
    }
    return { handle: `@${username}`, externalAccountId: account.config.userId };
  }

  async refresh(
    account: ConnectedAccount<XConfig, XSecrets>,
    http: SafeHttp,
    now: Date,
    options: RefreshOptions = {},
  ): Promise<XSecrets | null> {
    if (!options.force && !refreshDue(account.secrets, now)) return null;
    const answer = await this.call(http, 'refresh', {
      method: 'POST',
      url: `${account.config.apiBaseUrl}/2/oauth2/token`,
      form: {
        grant_type: 'refresh_token',
        refresh_token: account.secrets.refreshToken,
        client_id: account.config.clientId,
      },
    });
    const body = asObject(answer.json);
    const accessToken = body?.access_token;
    if (typeof accessToken !== 'string' || !TOKEN.test(accessToken)) {
      throw new Transient(`X's token endpoint answered without an access token`);
    }
    const refreshToken = body?.refresh_token;
    const expiresIn = body?.expires_in;
    const secrets: XSecrets = {
      accessToken,
      // Rotated: the old refresh token no longer works once this answer is given.
      refreshToken:
        typeof refreshToken === 'string' && TOKEN.test(refreshToken)
          ? refreshToken
          : account.secrets.refreshToken,
      accessObtainedAt: now.toISOString(),
    };
    if (typeof expiresIn === 'number' && Number.isFinite(expiresIn) && expiresIn > 0) {
      secrets.accessExpiresAt = new Date(now.getTime() + expiresIn * 1000).toISOString();
    }
    return secrets;
  }

  /**
   * Mentions newer than the cursor. X pages from the newest down (`next_token` →
   * `pagination_token`), so the new cursor (the first page's `newest_id`) may be stored only
   * with the last page. Without a cursor: the newest page only.
   */
  async *fetch(
    account: ConnectedAccount<XConfig, XSecrets>,
    cursor: ChannelCursor | null,
    http: SafeHttp,
  ): AsyncGenerator<FetchedPage> {
    const sinceId =
      cursor && typeof cursor.sinceId === 'string' && DIGITS.test(cursor.sinceId)
        ? cursor.sinceId
        : null;
    const seen = new Set<string>();
    let newest: bigint | null = sinceId === null ? null : BigInt(sinceId);
    let paginationToken: string | null = null;
    let first = true;

    for (;;) {
      const url = new URL(
        `${account.config.apiBaseUrl}/2/users/${encodeURIComponent(account.config.userId)}/mentions`,
      );
      if (sinceId !== null) url.searchParams.set('since_id', sinceId);
      url.searchParams.set('max_results', String(MAX_RESULTS));
      for (const [key, value] of Object.entries(MENTION_FIELDS)) url.searchParams.set(key, value);
      if (paginationToken !== null) url.searchParams.set('pagination_token', paginationToken);

      const answer = await this.call(http, 'fetch', {
        url: url.toString(),
        headers: bearer(account.secrets),
      });
      const body = asObject(answer.json);
      if (!body || (body.meta === undefined && body.data === undefined)) {
        const errors = body?.errors;
        if (Array.isArray(errors) && errors.length > 0) {
          throw new Permanent(`X refused the mentions query: ${errorText(answer)}`);
        }
        throw new Transient(`X answered the mentions query without data (${snippet(answer)})`);
      }

      const { items, rejected } = this.normalisePage(body);
      const fresh = items.filter((item) => !seen.has(item.externalId));
      for (const item of fresh) seen.add(item.externalId);

      const meta = asObject(body.meta);
      if (first) {
        // The newest id of the first page is the next since_id, whatever arrives meanwhile.
        for (const id of [meta?.newest_id, ...items.map((i) => i.externalId)]) {
          if (typeof id === 'string' && DIGITS.test(id) && (newest === null || BigInt(id) > newest))
            newest = BigInt(id);
        }
      }
      const next = meta?.next_token;
      // The first poll (no cursor yet) takes the newest page only. After it, a cursor is always
      // stored, even without any mention yet, so that the next poll reads everything new.
      const last = cursor === null || typeof next !== 'string' || next === '';
      const nextCursor: XCursor = { sinceId: newest === null ? null : newest.toString() };
      yield { items: fresh, rejected, cursor: last ? nextCursor : null };
      if (last) return;
      paginationToken = next as string;
      first = false;
    }
  }

  /** A mentions page (`data[]`, `includes.users[]`) as inbound items; malformed tweets are rejected. */
  normalisePage(body: unknown): Pick<FetchedPage, 'items' | 'rejected'> {
    const page = asObject(body);
    const items: InboundItem[] = [];
    const rejected: FetchedPage['rejected'] = [];
    if (!page) return { items, rejected: [{ reason: 'the page is not an object', raw: body }] };

    const users = new Map<string, Record<string, unknown>>();
    const includedUsers = asObject(page.includes)?.users;
    if (Array.isArray(includedUsers)) {
      for (const user of includedUsers) {
        const u = asObject(user);
        if (u && typeof u.id === 'string') users.set(u.id, u);
      }
    }
    const data = page.data;
    if (data === undefined || data === null) return { items, rejected };
    if (!Array.isArray(data)) {
      return { items, rejected: [{ reason: 'data: not a list of posts', raw: data }] };
    }
    for (const entry of data) {
      let result: ReturnType<typeof normaliseTweet>;
      try {
        result = normaliseTweet(entry, users);
      } catch (error) {
        result = rejectionReason(error); // one post's fault: the rest of the page goes on
      }
      if (typeof result === 'string') rejected.push({ reason: result, raw: entry });
      else items.push(result);
    }
    return { items, rejected };
  }

  async send(
    account: ConnectedAccount<XConfig, XSecrets>,
    reply: OutboundReply,
    http: SafeHttp,
  ): Promise<{ externalId: string }> {
    if (reply.private) {
      // A private answer is a direct message to the customer: POST
      // /2/dm_conversations/with/:participant_id/messages { text } → { data: { dm_event_id } }.
      // *Unverified* against X's current documents (needs the dm.write scope).
      const participant = reply.inReplyTo.authorExternalId;
      if (!DIGITS.test(participant)) {
        throw new Permanent(`the customer's X user id is not known (${participant})`);
      }
      const answer = await this.call(http, 'send', {
        method: 'POST',
        url: `${account.config.apiBaseUrl}/2/dm_conversations/with/${participant}/messages`,
        headers: bearer(account.secrets),
        json: { text: reply.text },
      });
      const eventId = objectAt(answer.json, 'data')?.dm_event_id;
      if (typeof eventId !== 'string' || eventId === '') {
        throw new Ambiguous(
          `X accepted the direct message without an event id (${snippet(answer)})`,
        );
      }
      return { externalId: eventId };
    }

    const tweetId = reply.inReplyTo.externalId;
    if (!DIGITS.test(tweetId)) throw new Permanent(`not an X post id: ${tweetId}`);
    // All posts on X are public; the reply context (the customer's @) is added by X itself.
    const answer = await this.call(http, 'send', {
      method: 'POST',
      url: `${account.config.apiBaseUrl}/2/tweets`,
      headers: bearer(account.secrets),
      json: { text: reply.text, reply: { in_reply_to_tweet_id: tweetId } },
    });
    const id = objectAt(answer.json, 'data')?.id;
    if (typeof id !== 'string' || id === '') {
      // 2xx means the post exists, but we cannot tell which: do not send it again.
      throw new Ambiguous(`X accepted the post without an id (${snippet(answer)})`);
    }
    return { externalId: id };
  }

  /** One request, its failures as channel errors; answers only 2xx. */
  private async call(http: SafeHttp, operation: Operation, req: HttpRequest): Promise<HttpAnswer> {
    let answer: HttpAnswer;
    try {
      answer = await http.send(req);
    } catch (error) {
      if (operation === 'send' && error instanceof NetworkError && error.maybeDelivered) {
        throw new Ambiguous(`the post may have reached X: ${error.message}`);
      }
      throw error;
    }
    if (answer.status >= 200 && answer.status < 300) return answer;
    throw this.failure(answer, operation);
  }

  private failure(answer: HttpAnswer, operation: Operation): Error {
    const { status } = answer;
    const text = errorText(answer);
    if (status === 429 || throttleCode(answer.json)) {
      return new RateLimited(retryAt(answer, this.now()), `X rate limit: ${text}`);
    }
    if (status >= 500) return new Transient(`X answered ${text}`);
    if (operation === 'verify' && (status === 401 || status === 403)) {
      return new CredentialsInvalid(`X refused the access token: ${text}`);
    }
    if (operation === 'refresh' && (status === 400 || status === 401)) {
      return new AuthExpired(`X refused the refresh token (reconnect the channel): ${text}`);
    }
    if (status === 401) return new TokenExpired(`X refused the access token: ${text}`);
    return new Permanent(`X answered ${text}`);
  }
}

/** Whether the access token must be refreshed now. */
function refreshDue(secrets: XSecrets, now: Date): boolean {
  const expiresAt = secrets.accessExpiresAt ? Date.parse(secrets.accessExpiresAt) : NaN;
  if (!Number.isNaN(expiresAt)) return expiresAt - now.getTime() <= REFRESH_MARGIN_MS;
  const obtainedAt = secrets.accessObtainedAt ? Date.parse(secrets.accessObtainedAt) : NaN;
  // Neither expiry nor age known: refreshing is the safe side.
  if (Number.isNaN(obtainedAt)) return true;
  return now.getTime() - obtainedAt >= UNKNOWN_EXPIRY_MAX_AGE_MS;
}

function normaliseTweet(
  entry: unknown,
  users: Map<string, Record<string, unknown>>,
): InboundItem | string {
  const tweet = asObject(entry);
  if (!tweet) return 'not an object';
  const problems: string[] = [];
  const id = tweet.id;
  if (typeof id !== 'string' || !DIGITS.test(id)) problems.push('id: missing or not a post id');
  const authorId = tweet.author_id;
  if (typeof authorId !== 'string' || authorId === '') problems.push('author_id: missing');
  const note = asObject(tweet.note_tweet)?.text;
  const text = typeof note === 'string' ? note : tweet.text;
  if (typeof text !== 'string') problems.push('text: missing');
  let createdAt = typeof tweet.created_at === 'string' ? new Date(tweet.created_at) : null;
  if (!createdAt || Number.isNaN(createdAt.getTime())) {
    createdAt = typeof id === 'string' && DIGITS.test(id) ? snowflakeTime(id) : null;
    if (!createdAt) problems.push('created_at: missing or not a time');
  }
  if (problems.length > 0) return problems.join('; ');

  const user = users.get(authorId as string);
  const username = typeof user?.username === 'string' && user.username ? user.username : null;
  const name = typeof user?.name === 'string' && user.name ? clean(user.name) : null;
  const repliedTo = Array.isArray(tweet.referenced_tweets)
    ? tweet.referenced_tweets
        .map(asObject)
        .find((ref) => ref?.type === 'replied_to' && typeof ref.id === 'string')
    : undefined;
  const lang = typeof tweet.lang === 'string' ? tweet.lang.trim() : '';

  return {
    externalId: id as string,
    authorExternalId: authorId as string,
    // Without the author in includes.users (suspended, withheld), the id is all we know.
    authorHandle: username ? `@${clean(username)}` : (authorId as string),
    authorName: name,
    text: unescapeText(text as string),
    createdAt: createdAt!,
    inReplyToExternalId: (repliedTo?.id as string | undefined) ?? null,
    threadRootExternalId:
      typeof tweet.conversation_id === 'string' && tweet.conversation_id
        ? tweet.conversation_id
        : null,
    visibility: 'public',
    language: lang && !NOT_A_LANGUAGE.test(lang) ? lang : null,
    attachments: [],
    raw: tweet,
  };
}

/**
 * X's `text` is plain but escapes `&`, `<` and `>` as HTML entities (long-standing behaviour of
 * the v1.1 and v2 APIs; *unverified* in the current v2 documents). Only those three are undone,
 * `&amp;` last so that `&amp;lt;` stays `&lt;`.
 */
function unescapeText(text: string): string {
  return clean(text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
}

/** NUL cannot be stored in a PostgreSQL text column. */
function clean(text: string): string {
  return text.replaceAll('\u0000', '');
}

/** The creation time hidden in a snowflake id (fallback when created_at is missing). */
function snowflakeTime(id: string): Date | null {
  const ms = Number((BigInt(id) >> 22n) + SNOWFLAKE_EPOCH_MS);
  // Ids before snowflakes (2010) or far in the future carry no usable time.
  const day = 24 * 60 * 60 * 1000;
  if (ms < Number(SNOWFLAKE_EPOCH_MS) + day || ms > Date.now() + day) return null;
  return new Date(ms);
}

function bearer(secrets: XSecrets): Record<string, string> {
  return { authorization: `Bearer ${secrets.accessToken}` };
}

function asObject(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

function objectAt(value: unknown, key: string): Record<string, unknown> | null {
  return asObject(asObject(value)?.[key]);
}

/** X's throttling answer: error code 88 (rate limit exceeded). */
function throttleCode(json: unknown): boolean {
  const errors = asObject(json)?.errors;
  return Array.isArray(errors) && errors.some((e) => asObject(e)?.code === 88);
}

/**
 * When to try again: a spent 24-hour posting limit resets later than the 15-minute window, so
 * its reset comes first; all of X's reset headers are epoch seconds.
 */
function retryAt(answer: HttpAnswer, now: Date): Date {
  const h = answer.headers;
  const values: (string | undefined)[] = [];
  if (h['x-user-limit-24hour-remaining'] === '0') values.push(h['x-user-limit-24hour-reset']);
  if (h['x-app-limit-24hour-remaining'] === '0') values.push(h['x-app-limit-24hour-reset']);
  values.push(h['x-rate-limit-reset'], h['retry-after']);
  return retryAtAfterThrottle(values, now);
}

/** The status and X's own words for an error answer (problem details, errors[], OAuth errors). */
function errorText(answer: HttpAnswer): string {
  const body = asObject(answer.json);
  const parts: string[] = [];
  if (body) {
    for (const key of ['error', 'error_description', 'title', 'detail'] as const) {
      if (typeof body[key] === 'string' && !parts.includes(body[key])) parts.push(body[key]);
    }
    if (Array.isArray(body.errors)) {
      for (const e of body.errors.slice(0, 3)) {
        const err = asObject(e);
        const message = err?.message ?? err?.detail;
        if (typeof message === 'string' && !parts.includes(message)) parts.push(message);
      }
    }
  }
  const words = parts.length > 0 ? parts.join(': ') : answer.text.slice(0, 200);
  return words ? `${answer.status} ${words}` : String(answer.status);
}

function snippet(answer: HttpAnswer): string {
  return `${answer.status} ${answer.text.slice(0, 120)}`;
}
