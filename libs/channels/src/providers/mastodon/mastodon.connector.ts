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
  VerifiedAccount,
  LinkAccount,
  PostLink,
} from '../../connector';
import { mastodonStatusUrl } from '../../external-urls';
import {
  CredentialsInvalid,
  InvalidPayload,
  Permanent,
  RateLimited,
  TokenExpired,
  Transient,
  rejectionReason,
} from '../../errors';
import { channelUrlProblems } from '../../http/address-policy';
import type { HttpAnswer, SafeHttp } from '../../http/safe-http';
import { resetTimeFrom, retryAtAfterThrottle } from '../../rate-limit';
import { htmlToText } from './html-to-text';

/** What may be shown of a Mastodon channel. */
export interface MastodonConfig {
  /** The instance's origin, e.g. `https://social.example` (no path, no trailing slash). */
  instanceUrl: string;
}

/** What is secret: the organisation account's OAuth bearer token. */
export interface MastodonSecrets {
  accessToken: string;
}

/** Where polling goes on from: the newest mention notification already fetched. */
export interface MastodonCursor extends ChannelCursor {
  lastNotificationId: string;
}

export interface MastodonConnectorOptions {
  /** `limit` of a notifications page (Mastodon: default 40, at most 80). */
  pageSize?: number;
  /** A poll stops after this many pages; the next poll goes on from the stored cursor. */
  maxPagesPerPoll?: number;
  /** The clock (rate-limit times). */
  now?: () => Date;
}

type MastodonAccount = ConnectedAccount<MastodonConfig, MastodonSecrets>;

const DEFAULT_PAGE_SIZE = 40;
const DEFAULT_MAX_PAGES = 500;
const VISIBILITIES = new Set(['public', 'unlisted', 'private', 'direct']);
const LANGUAGE = /^[a-z]{2,3}(?:-[a-z0-9]{1,8})*$/i;
/** `user` or `user@domain`, as Mastodon writes an account's `acct`. */
const ACCT = /^[a-z0-9_]+(?:@[^\s@/]+)?$/i;
/** An access token is a header value: printable ASCII without spaces. */
const TOKEN = /^[\x21-\x7e]+$/;
const MAX_ERROR_TEXT = 300;

/**
 * Mastodon: mentions are polled from the notifications of the organisation's account, replies
 * are statuses in the customer's thread (CHANNELS.md §Mastodon).
 */
export class MastodonConnector implements ChannelConnector<MastodonConfig, MastodonSecrets> {
  readonly capabilities: ChannelCapabilities = {
    provider: 'mastodon',
    ingest: 'poll',
    directMessages: true,
    idempotentSend: true,
    // CHANNELS.md: an Idempotency-Key is remembered for an hour.
    idempotencyWindowMs: 60 * 60 * 1000,
    length: CHANNEL_LENGTH_RULES.mastodon.public,
  };

  // CHANNELS.md §Mastodon: { instanceUrl, accessToken }
  readonly configFields: readonly ConfigField[] = [
    {
      key: 'instanceUrl',
      label: 'Address of the Mastodon server',
      kind: 'url',
      required: true,
      placeholder: 'https://mastodon.social',
    },
    { key: 'accessToken', label: 'Access token', kind: 'secret', required: true },
  ];

  private readonly pageSize: number;
  private readonly maxPagesPerPoll: number;
  private readonly now: () => Date;

  constructor(options: MastodonConnectorOptions = {}) {
    this.pageSize = Math.max(1, Math.floor(options.pageSize ?? DEFAULT_PAGE_SIZE));
    this.maxPagesPerPoll = Math.max(1, Math.floor(options.maxPagesPerPoll ?? DEFAULT_MAX_PAGES));
    this.now = options.now ?? (() => new Date());
  }

  parseConfig(
    input: unknown,
    options: ParseOptions = { allowInsecureUrls: false },
  ): { config: MastodonConfig; secrets: MastodonSecrets; externalAccountId: string | null } {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw new InvalidPayload('config: must be an object');
    }
    const { instanceUrl, accessToken } = input as Record<string, unknown>;
    const problems: string[] = [];

    let origin = '';
    const urlText = typeof instanceUrl === 'string' ? instanceUrl.trim() : instanceUrl;
    if (urlText === undefined || urlText === null || urlText === '') {
      problems.push('instanceUrl: is required');
    } else {
      const urlProblems = channelUrlProblems(urlText, options.allowInsecureUrls);
      if (urlProblems.length === 0) {
        const url = new URL(urlText as string);
        if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
          urlProblems.push('must be the address of the instance, without a path or query');
        }
        origin = url.origin;
      }
      for (const problem of urlProblems) problems.push(`instanceUrl: ${problem}`);
    }

    const token = typeof accessToken === 'string' ? accessToken.trim() : accessToken;
    if (token === undefined || token === null || token === '') {
      problems.push('accessToken: is required');
    } else if (typeof token !== 'string') {
      problems.push('accessToken: must be a string');
    } else if (token.length > 2000 || !TOKEN.test(token)) {
      problems.push('accessToken: must be a token without spaces');
    }

    if (problems.length > 0) throw new InvalidPayload(problems.join('; '));
    return {
      config: { instanceUrl: origin },
      secrets: { accessToken: token as string },
      externalAccountId: null,
    };
  }

  /** The post's public URL (external-urls.ts). */
  externalUrl(account: LinkAccount<MastodonConfig>, post: PostLink): string | null {
    return mastodonStatusUrl(account.config.instanceUrl, post);
  }

  /** The reply id: Mastodon remembers an `Idempotency-Key` for an hour. */
  newIdempotencyKey(replyId: string, _now?: Date): string {
    return replyId;
  }

  async verify(
    account: MastodonAccount,
    http: SafeHttp,
  ): Promise<VerifiedAccount<MastodonSecrets>> {
    const answer = await this.call(http, account, {
      url: `${this.base(account)}/api/v1/accounts/verify_credentials`,
    });
    if (answer.status === 401 || answer.status === 403) {
      throw new CredentialsInvalid(
        answer.status === 403
          ? `Mastodon refused the access token for this account (403: ${errorText(answer)}); it needs the read:accounts (or profile) scope`
          : `Mastodon refused the access token (401: ${errorText(answer)})`,
      );
    }
    this.throwForStatus(answer, 'verify');
    const body = answer.json;
    const record = isRecord(body) ? body : {};
    const username = stringOf(record.username) ?? acctUser(stringOf(record.acct));
    const id = idOf(record.id);
    if (!username || !id) {
      throw new Permanent(
        `${new URL(account.config.instanceUrl).host} did not answer like a Mastodon instance (no account in verify_credentials)`,
      );
    }
    const host = new URL(account.config.instanceUrl).host;
    return {
      handle: `@${username}@${new URL(account.config.instanceUrl).hostname}`,
      // Account ids count per instance: qualified by the instance, they name one account anywhere.
      externalAccountId: `${id}@${host}`,
    };
  }

  /**
   * First poll: the newest page only, remembering its newest notification id. Later polls: the
   * notifications just newer than the cursor (`min_id`), following the `prev` links towards the
   * present until a page comes back empty, so that every page's cursor is safe to store at once.
   */
  async *fetch(
    account: MastodonAccount,
    cursor: ChannelCursor | null,
    http: SafeHttp,
  ): AsyncGenerator<FetchedPage> {
    const base = this.base(account);
    let minId = cursor === null ? null : cursorId(cursor);
    let url = this.notificationsUrl(base, minId);
    let lastAnswer: HttpAnswer | undefined;
    for (let pages = 1; ; pages += 1) {
      if (lastAnswer) this.throwIfExhausted(lastAnswer);
      const answer = await this.call(http, account, { url });
      this.throwForStatus(answer, 'poll');
      lastAnswer = answer;
      if (!Array.isArray(answer.json)) {
        throw new Permanent(
          `${new URL(base).host} did not answer like a Mastodon instance (the notifications are not a list)`,
        );
      }
      const page = this.normalisePage(answer.json, minId);
      if (minId === null) {
        // A new channel: the newest page only, no back-fill. A cursor is stored even when the
        // account has no mentions yet ("0": everything is newer), so that the next poll
        // reads every page of what arrived meanwhile.
        yield { ...withoutNewest(page), cursor: { lastNotificationId: page.newestId ?? '0' } };
        return;
      }
      if (page.newestId === null) {
        // Nothing newer than the cursor: done.
        if (page.rejected.length > 0) {
          yield { ...withoutNewest(page), cursor: { lastNotificationId: minId } };
        }
        return;
      }
      // Everything up to this page's newest notification is in this page or an earlier one.
      minId = page.newestId;
      yield { ...withoutNewest(page), cursor: { lastNotificationId: minId } };
      if (pages >= this.maxPagesPerPoll) return;
      url = this.prevLink(answer, base, minId) ?? this.notificationsUrl(base, minId);
    }
  }

  async send(
    account: MastodonAccount,
    reply: OutboundReply,
    http: SafeHttp,
  ): Promise<{ externalId: string }> {
    const raw = reply.inReplyTo.raw;
    const status = raw && isRecord(raw.status) ? raw.status : null;
    const author = isRecord(raw?.account)
      ? raw.account
      : isRecord(status?.account)
        ? status.account
        : null;
    const acct = stringOf(author?.acct) ?? reply.inReplyTo.authorHandle.replace(/^@/, '');
    if (!ACCT.test(acct)) {
      throw new Permanent(
        `cannot mention the customer: "${acct.slice(0, 100)}" is not a Mastodon account`,
      );
    }
    const mention = `@${acct}`;
    const text = startsWithMention(reply.text, mention) ? reply.text : `${mention} ${reply.text}`;
    const body: Record<string, string> = {
      status: text,
      in_reply_to_id: reply.inReplyTo.externalId,
      visibility: reply.private ? 'direct' : mirroredVisibility(reply.inReplyTo.visibility),
    };
    const language = stringOf(status?.language);
    if (language && LANGUAGE.test(language)) body.language = language;
    const key = reply.idempotencyKey || reply.replyId;
    if (!TOKEN.test(key) || key.length > 200) {
      throw new Permanent('the idempotency key of this reply cannot be sent as a header');
    }
    const answer = await this.call(http, account, {
      method: 'POST',
      url: `${this.base(account)}/api/v1/statuses`,
      headers: { 'idempotency-key': key },
      json: body,
    });
    if (answer.status === 409) {
      // The same key is still being processed: asking again later answers that status.
      throw new Transient(`Mastodon is still posting this reply (409: ${errorText(answer)})`);
    }
    this.throwForStatus(answer, 'send');
    const id = isRecord(answer.json) ? idOf(answer.json.id) : null;
    if (!id) {
      // Idempotent: a retry with the same key answers the status that may have been created.
      throw new Transient('Mastodon answered the post without a status id');
    }
    return { externalId: id };
  }

  /** Normalises one notification (a mention); throws InvalidPayload when it lacks the shape. */
  normalise(notification: unknown): InboundItem {
    if (!isRecord(notification)) throw new InvalidPayload('the notification is not an object');
    const notificationId = idOf(notification.id);
    if (!notificationId) throw new InvalidPayload('the notification has no id');
    if (notification.type !== undefined && notification.type !== 'mention') {
      throw new InvalidPayload(
        `notification ${notificationId} is a ${String(notification.type)}, not a mention`,
      );
    }
    const status = notification.status;
    if (!isRecord(status)) throw new InvalidPayload(`notification ${notificationId} has no status`);
    const statusId = idOf(status.id);
    if (!statusId)
      throw new InvalidPayload(`the status of notification ${notificationId} has no id`);
    const account = isRecord(status.account) ? status.account : notification.account;
    if (!isRecord(account)) throw new InvalidPayload(`status ${statusId} has no account`);
    const accountId = idOf(account.id);
    const acct = stringOf(account.acct) ?? stringOf(account.username);
    if (!accountId || !acct)
      throw new InvalidPayload(`the account of status ${statusId} has no id or acct`);
    const createdAt = dateOf(status.created_at) ?? dateOf(notification.created_at);
    if (!createdAt) throw new InvalidPayload(`status ${statusId} has no valid created_at`);

    const body = typeof status.content === 'string' ? htmlToText(status.content) : '';
    const warning = typeof status.spoiler_text === 'string' ? status.spoiler_text.trim() : '';
    const visibility = stringOf(status.visibility);
    const language = stringOf(status.language);
    return {
      externalId: statusId,
      authorExternalId: accountId,
      authorHandle: `@${acct}`,
      authorName: stringOf(account.display_name) ?? null,
      text: warning ? (body ? `${warning}\n\n${body}` : warning) : body,
      createdAt,
      inReplyToExternalId: idOf(status.in_reply_to_id),
      threadRootExternalId: null,
      // Unknown means the most careful answer: privately.
      visibility: visibility ?? 'direct',
      language: language && LANGUAGE.test(language) ? language : null,
      attachments: attachmentsOf(status.media_attachments),
      raw: notification,
    };
  }

  private normalisePage(
    list: unknown[],
    minId: string | null,
  ): Omit<FetchedPage, 'cursor'> & { newestId: string | null } {
    const items: InboundItem[] = [];
    const rejected: FetchedPage['rejected'] = [];
    let newestId: string | null = null;
    for (const entry of list) {
      const id = isRecord(entry) ? idOf(entry.id) : null;
      // A server that ignores min_id may answer what we already have: skip it quietly.
      if (id && minId !== null && compareIds(id, minId) <= 0) continue;
      if (id && (newestId === null || compareIds(id, newestId) > 0)) newestId = id;
      try {
        items.push(this.normalise(entry));
      } catch (error) {
        // Whatever one item's reading throws, the rest of the page goes on (the poller quarantines it).
        rejected.push({ reason: rejectionReason(error), raw: entry });
      }
    }
    // Oldest first, as they happened.
    items.sort((a, b) => compareIds(notificationIdOf(a), notificationIdOf(b)));
    return { items, rejected, newestId };
  }

  private notificationsUrl(base: string, minId: string | null): string {
    const url = new URL(`${base}/api/v1/notifications`);
    url.searchParams.append('types[]', 'mention');
    url.searchParams.set('limit', String(this.pageSize));
    if (minId !== null) url.searchParams.set('min_id', minId);
    return url.toString();
  }

  /**
   * The `prev` link (the page just newer), followed when it stays on the instance's
   * notifications and starts at the newest notification we have seen (Mastodon's does); else
   * the same question is asked by hand. A link elsewhere would take our token with it.
   */
  private prevLink(answer: HttpAnswer, base: string, newestId: string): string | null {
    const prev = linkOf(answer.headers.link, 'prev');
    if (!prev) return null;
    try {
      const url = new URL(prev);
      const minId = url.searchParams.get('min_id');
      const types = url.searchParams.getAll('types[]');
      const sameQuestion =
        url.origin === base &&
        url.pathname === '/api/v1/notifications' &&
        minId !== null &&
        compareIds(minId, newestId) === 0 &&
        types.length === 1 &&
        types[0] === 'mention' &&
        !url.searchParams.has('max_id') &&
        !url.searchParams.has('since_id');
      return sameQuestion ? url.toString() : null;
    } catch {
      return null;
    }
  }

  private base(account: MastodonAccount): string {
    return new URL(account.config.instanceUrl).origin;
  }

  private call(
    http: SafeHttp,
    account: MastodonAccount,
    request: Parameters<SafeHttp['send']>[0],
  ): Promise<HttpAnswer> {
    return http.send({
      ...request,
      headers: { ...request.headers, authorization: `Bearer ${account.secrets.accessToken}` },
    });
  }

  /** Over the limit already (`X-RateLimit-Remaining: 0`): wait for the reset instead of a 429. */
  private throwIfExhausted(answer: HttpAnswer): void {
    if (answer.headers['x-ratelimit-remaining']?.trim() !== '0') return;
    const now = this.now();
    const reset = resetTimeFrom(answer.headers['x-ratelimit-reset'], now);
    if (reset && reset.getTime() > now.getTime()) throw new RateLimited(reset);
  }

  private throwForStatus(answer: HttpAnswer, what: 'verify' | 'poll' | 'send'): void {
    const { status } = answer;
    if (status >= 200 && status < 300) return;
    const text = `Mastodon answered ${status} to the ${what}: ${errorText(answer)}`;
    if (status === 429) {
      throw new RateLimited(
        retryAtAfterThrottle(
          [answer.headers['x-ratelimit-reset'], answer.headers['retry-after']],
          this.now(),
        ),
      );
    }
    if (status === 401) throw new TokenExpired(text);
    if (status >= 500 || status === 408) throw new Transient(text);
    throw new Permanent(text);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOf(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/** Mastodon ids are strings (integers in disguise); a number is accepted from lax servers. */
function idOf(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() !== '' && value.length <= 100 ? value : null;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  return null;
}

function dateOf(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time);
}

function acctUser(acct: string | null): string | null {
  return acct ? (acct.split('@')[0] ?? null) || null : null;
}

function withoutNewest(
  page: Omit<FetchedPage, 'cursor'> & { newestId: string | null },
): Omit<FetchedPage, 'cursor'> {
  return { items: page.items, rejected: page.rejected };
}

function cursorId(cursor: ChannelCursor): string {
  const id = idOf(cursor.lastNotificationId);
  if (!id) throw new Permanent('the stored Mastodon cursor has no lastNotificationId');
  return id;
}

function notificationIdOf(item: InboundItem): string {
  return idOf(item.raw.id) ?? '';
}

/** Orders ids as the numbers they are (longer is larger), other strings as text. */
function compareIds(a: string, b: string): number {
  const digits = /^\d+$/;
  if (digits.test(a) && digits.test(b)) {
    const x = a.replace(/^0+(?=\d)/, '');
    const y = b.replace(/^0+(?=\d)/, '');
    if (x.length !== y.length) return x.length - y.length;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

function attachmentsOf(value: unknown): { type: string; url: string }[] {
  if (!Array.isArray(value)) return [];
  const attachments: { type: string; url: string }[] = [];
  for (const entry of value) {
    if (!isRecord(entry)) continue;
    const url = httpUrl(entry.url) ?? httpUrl(entry.remote_url);
    if (!url) continue;
    attachments.push({ type: stringOf(entry.type) ?? 'unknown', url });
  }
  return attachments;
}

function httpUrl(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? value : null;
  } catch {
    return null;
  }
}

function mirroredVisibility(visibility: string): string {
  // A visibility we do not know gets the most careful answer: only the customer sees it.
  return VISIBILITIES.has(visibility) ? visibility : 'direct';
}

function startsWithMention(text: string, mention: string): boolean {
  if (text.slice(0, mention.length).toLowerCase() !== mention.toLowerCase()) return false;
  const next = text.charAt(mention.length);
  return next === '' || /\s/.test(next);
}

/** The error text of an answer (`{"error": ...}`), short and on one line. */
function errorText(answer: HttpAnswer): string {
  const body = answer.json;
  let text = '';
  if (isRecord(body)) {
    text = [stringOf(body.error), stringOf(body.error_description)].filter(Boolean).join(': ');
  }
  if (!text) text = answer.text.trim() ? 'no error message' : 'empty answer';
  text = text.replace(/\s+/g, ' ');
  return text.length > MAX_ERROR_TEXT ? `${text.slice(0, MAX_ERROR_TEXT)}…` : text;
}

/** The URL of a `Link` header's entry with the given rel, parsed without regular expressions. */
function linkOf(header: string | undefined, rel: string): string | null {
  if (!header || header.length > 8000) return null;
  for (const part of header.split(',')) {
    const open = part.indexOf('<');
    const close = part.indexOf('>', open + 1);
    if (open < 0 || close < 0) continue;
    const params = part.slice(close + 1).split(';');
    for (const param of params) {
      const [key, value] = param.split('=');
      if (key?.trim().toLowerCase() === 'rel' && value) {
        const rels = value.trim().replace(/^"|"$/g, '').toLowerCase().split(' ');
        if (rels.includes(rel)) return part.slice(open + 1, close).trim();
      }
    }
  }
  return null;
}
