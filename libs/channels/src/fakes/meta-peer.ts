import { createHmac } from 'node:crypto';
import { request } from 'undici';
import { FakeServer, type FakeRequest, type FakeResponse } from './fake-server';

/**
 * A fake of the Graph API subset the Meta connectors use (CHANNELS.md §Meta), plus the other
 * direction: deliveries signed like Meta's webhooks. Errors have Graph's shape
 * (`{ error: { message, type, code, error_subcode, fbtrace_id } }`, mostly HTTP 400), every
 * answer carries the usage headers, and throttling comes as error codes in the body.
 */

export const DEMO_PAGE = { id: '1029384756', name: 'Demo Energie', token: 'EAAGdemoPageToken1029' };
export const DEMO_INSTAGRAM = { id: '17841400000000001', username: 'demo_energie' };
export const GRAPH_VERSION = 'v21.0';

/** What customers write (Dutch, like the shop's customers). */
export const DUTCH_CUSTOMER_TEXTS = [
  'Waar blijft mijn terugbetaling?',
  'Hoi, ik wil mijn termijnbedrag aanpassen',
  'Mijn meterstand klopt niet, kunnen jullie even kijken?',
  'Al drie weken geen reactie op mijn klacht \u{1F621}',
  'Ik ben verhuisd, hoe geef ik mijn nieuwe adres door?',
  'Waarom is mijn voorschot ineens \u20AC40 hoger?',
  'Bedankt voor de snelle hulp! \u{1F44D}',
  'Wanneer komt de monteur voor de slimme meter?',
];

const NAMES = ['Ana P', 'Daan de Vries', 'Sanne Jansen', 'Mohammed El Amrani', 'Fleur Bakker'];
const USERNAMES = ['ana.p', 'daanvries', 'sanne_j', 'mo.elamrani', 'fleurbakker'];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface MetaPeerPage {
  id: string;
  name: string;
  token: string;
}

export interface MetaPeerInstagram {
  id: string;
  username: string;
  /** The Facebook page the account is linked to: its token reaches the account. */
  pageId: string;
}

export interface MetaPeerComment {
  id: string;
  provider: 'facebook' | 'instagram';
  /** Page id or Instagram account id. */
  accountId: string;
  /** The post (Facebook) or media (Instagram). */
  rootId: string;
  parentId: string | null;
  fromId: string;
  fromName: string | null;
  text: string;
  createdAt: Date;
  privatelyAnswered?: boolean;
}

export interface MetaPosted {
  kind: 'comment' | 'instagram_reply' | 'message' | 'private_reply';
  /** The id Meta answered (comment id or message id). */
  id: string;
  /** The comment answered, or the page that messaged. */
  target: string;
  text: string;
  recipient?: { id?: string; comment_id?: string };
  messagingType?: string;
  tag?: string;
  at: Date;
}

/** A webhook body as Meta sends it. */
export interface MetaWebhookBody {
  object: 'page' | 'instagram';
  entry: Record<string, unknown>[];
}

export interface MetaPeerOptions {
  /** The peer's clock (messaging windows, created times). */
  now?: () => Date;
  /** Pages to serve instead of DEMO_PAGE. */
  pages?: MetaPeerPage[];
  /** Instagram accounts to serve instead of DEMO_INSTAGRAM (linked to the first page). */
  instagram?: MetaPeerInstagram[];
}

interface Throttle {
  code: number;
  status: number;
  minutes: number | null;
  times: number;
}

const THROTTLE_MESSAGES: Record<number, string> = {
  4: '(#4) Application request limit reached',
  17: '(#17) User request limit reached',
  32: '(#32) Page request limit reached',
  613: '(#613) Calls to this api have exceeded the rate limit.',
};

export class MetaPeer {
  readonly server: FakeServer;
  readonly posted: MetaPosted[] = [];
  readonly pages = new Map<string, MetaPeerPage>();
  readonly instagram = new Map<string, MetaPeerInstagram>();
  readonly comments = new Map<string, MetaPeerComment>();
  /** Expired or revoked tokens (190 with subcode 463). */
  readonly expiredTokens = new Set<string>();
  /** Last message of each customer per page: `${pageId}:${psid}` → time (the 24-hour window). */
  private readonly lastCustomerMessage = new Map<string, Date>();
  private readonly now: () => Date;
  private throttle: Throttle | null = null;
  private failures: { status: number; times: number } | null = null;
  private delay: { ms: number; times: number } | null = null;
  private tokenExpiries = 0;
  private sequence = 0;
  private calls = 0;

  constructor(options: MetaPeerOptions = {}) {
    this.now = options.now ?? (() => new Date());
    for (const page of options.pages ?? [DEMO_PAGE]) this.addPage(page);
    const firstPage = [...this.pages.keys()][0];
    for (const account of options.instagram ?? [{ ...DEMO_INSTAGRAM, pageId: firstPage }]) {
      this.addInstagramAccount(account);
    }
    this.server = new FakeServer((req) => this.handle(req));
  }

  async start(port = 0): Promise<this> {
    await this.server.start(port);
    return this;
  }

  close(): Promise<void> {
    return this.server.close();
  }

  get url(): string {
    return this.server.url;
  }

  /** What a connector's graphBaseUrl is set to. */
  get graphBaseUrl(): string {
    return `${this.server.url}/${GRAPH_VERSION}`;
  }

  get requests(): FakeRequest[] {
    return this.server.requests;
  }

  addPage(page: Partial<MetaPeerPage> = {}): MetaPeerPage {
    const id = page.id ?? `10${this.digits(13)}`;
    const created = { id, name: page.name ?? `Pagina ${id}`, token: page.token ?? `EAAG${id}tok` };
    this.pages.set(id, created);
    return created;
  }

  addInstagramAccount(account: Partial<MetaPeerInstagram> = {}): MetaPeerInstagram {
    const created = {
      id: account.id ?? `178414${this.digits(11)}`,
      username: account.username ?? `account_${this.sequence}`,
      pageId: account.pageId ?? [...this.pages.keys()][0],
    };
    this.instagram.set(created.id, created);
    return created;
  }

  /** The next `times` Graph calls answer a throttling error (code 4, 17, 32, 613, 80001…). */
  throttleNext(
    options: { code?: number; status?: number; minutes?: number | null; times?: number } = {},
  ): void {
    this.throttle = {
      code: options.code ?? 32,
      status: options.status ?? 400,
      minutes: options.minutes === undefined ? 5 : options.minutes,
      times: options.times ?? 1,
    };
  }

  /** The next `times` Graph calls fail with this status (5xx: Graph's transient error). */
  failNext(status = 500, times = 1): void {
    this.failures = { status, times };
  }

  /** The next `times` calls do their work, then answer only after `ms` (a client timeout). */
  delayNext(ms: number, times = 1): void {
    this.delay = { ms, times };
  }

  expireToken(token: string): void {
    this.expiredTokens.add(token);
  }

  /**
   * The next `times` calls with a page token answer OAuthException 190 (subcode 463, expired),
   * whatever the token's own expiry; the token stays expired (a page token is not refreshed:
   * only a new one, stored by an admin, works again).
   */
  expireTokenOnNextCall(times = 1): void {
    this.tokenExpiries += times;
  }

  // --- customers writing: each builder records the item here and answers the delivery ---

  /** A customer comments on one of the page's posts (or answers a comment: `parentId`). */
  pageComment(
    options: {
      pageId?: string;
      text?: string;
      from?: { id: string; name?: string };
      postId?: string;
      parentId?: string;
      at?: Date;
    } = {},
  ): { delivery: MetaWebhookBody; comment: MetaPeerComment } {
    const pageId = options.pageId ?? [...this.pages.keys()][0];
    const n = this.next();
    const parent = options.parentId ? this.comments.get(options.parentId) : undefined;
    const postId = options.postId ?? parent?.rootId ?? `${pageId}_${100000 + n}`;
    const at = options.at ?? this.now();
    const comment: MetaPeerComment = {
      id: `${postId}_${200000 + n}`,
      provider: 'facebook',
      accountId: pageId,
      rootId: postId,
      parentId: options.parentId ?? null,
      fromId: options.from?.id ?? `6${this.digits(15)}`,
      fromName: options.from ? (options.from.name ?? null) : NAMES[n % NAMES.length],
      text: options.text ?? DUTCH_CUSTOMER_TEXTS[n % DUTCH_CUSTOMER_TEXTS.length],
      createdAt: at,
    };
    this.comments.set(comment.id, comment);
    const from: Record<string, string> = { id: comment.fromId };
    if (comment.fromName) from.name = comment.fromName;
    return {
      comment,
      delivery: {
        object: 'page',
        entry: [
          {
            id: pageId,
            time: Math.floor(this.now().getTime() / 1000),
            changes: [
              {
                field: 'feed',
                value: {
                  from,
                  post: { status_type: 'added_photos', is_published: true, id: postId },
                  message: comment.text,
                  post_id: postId,
                  comment_id: comment.id,
                  created_time: Math.floor(at.getTime() / 1000),
                  item: 'comment',
                  parent_id: comment.parentId ?? postId,
                  verb: 'add',
                },
              },
            ],
          },
        ],
      },
    };
  }

  /** A customer comments on a media of the Instagram account (or answers one: `parentId`). */
  instagramComment(
    options: {
      igUserId?: string;
      text?: string;
      from?: { id: string; username?: string };
      mediaId?: string;
      parentId?: string;
      at?: Date;
    } = {},
  ): { delivery: MetaWebhookBody; comment: MetaPeerComment } {
    const igUserId = options.igUserId ?? [...this.instagram.keys()][0];
    const n = this.next();
    const parent = options.parentId ? this.comments.get(options.parentId) : undefined;
    const mediaId = options.mediaId ?? parent?.rootId ?? `180${this.digits(14)}`;
    const at = options.at ?? this.now();
    const comment: MetaPeerComment = {
      id: `179${this.digits(14)}`,
      provider: 'instagram',
      accountId: igUserId,
      rootId: mediaId,
      parentId: options.parentId ?? null,
      fromId: options.from?.id ?? `234${this.digits(13)}`,
      fromName: options.from ? (options.from.username ?? null) : USERNAMES[n % USERNAMES.length],
      text:
        options.text ??
        `@${this.instagram.get(igUserId)?.username ?? 'demo'} ${DUTCH_CUSTOMER_TEXTS[n % DUTCH_CUSTOMER_TEXTS.length].toLowerCase()}`,
      createdAt: at,
    };
    this.comments.set(comment.id, comment);
    const from: Record<string, string> = { id: comment.fromId };
    if (comment.fromName) from.username = comment.fromName;
    const value: Record<string, unknown> = {
      from,
      media: { id: mediaId, media_product_type: 'FEED' },
      id: comment.id,
      text: comment.text,
    };
    if (comment.parentId) value.parent_id = comment.parentId;
    return {
      comment,
      delivery: {
        object: 'instagram',
        entry: [
          {
            id: igUserId,
            time: Math.floor(at.getTime() / 1000),
            changes: [{ field: 'comments', value }],
          },
        ],
      },
    };
  }

  /** A customer writes to the page on Messenger. */
  messengerMessage(options: { pageId?: string; psid?: string; text?: string; at?: Date } = {}): {
    delivery: MetaWebhookBody;
    message: { mid: string; psid: string; text: string; at: Date };
  } {
    const pageId = options.pageId ?? [...this.pages.keys()][0];
    const n = this.next();
    const psid = options.psid ?? `7${this.digits(15)}`;
    const at = options.at ?? this.now();
    const text = options.text ?? DUTCH_CUSTOMER_TEXTS[n % DUTCH_CUSTOMER_TEXTS.length];
    const mid = `m_${Buffer.from(`${pageId}:${psid}:${n}`).toString('base64url')}`;
    const key = `${pageId}:${psid}`;
    const last = this.lastCustomerMessage.get(key);
    if (!last || last < at) this.lastCustomerMessage.set(key, at);
    return {
      message: { mid, psid, text, at },
      delivery: {
        object: 'page',
        entry: [
          {
            id: pageId,
            time: this.now().getTime(),
            messaging: [
              {
                sender: { id: psid },
                recipient: { id: pageId },
                timestamp: at.getTime(),
                message: { mid, text },
              },
            ],
          },
        ],
      },
    };
  }

  /** Meta batches: several deliveries of the same object in one body. */
  static batch(...deliveries: MetaWebhookBody[]): MetaWebhookBody {
    const object = deliveries[0]?.object ?? 'page';
    if (deliveries.some((d) => d.object !== object)) throw new Error('one object per delivery');
    return { object, entry: deliveries.flatMap((d) => d.entry) };
  }

  /**
   * POSTs a delivery to a webhook URL the way Meta does: JSON with X-Hub-Signature-256 over the
   * exact bytes sent (or a wrong one with `badSignature`, none with `unsigned`). Answers the
   * HTTP status.
   */
  async deliver(
    url: string,
    payload: unknown,
    appSecret: string,
    options: { badSignature?: boolean; unsigned?: boolean } = {},
  ): Promise<number> {
    const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
    const secret = options.badSignature ? `${appSecret}-wrong` : appSecret;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'facebookexternalua',
    };
    if (!options.unsigned) {
      headers['x-hub-signature-256'] =
        `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
      headers['x-hub-signature'] =
        `sha1=${createHmac('sha1', secret).update(body, 'utf8').digest('hex')}`;
    }
    const response = await request(url, { method: 'POST', headers, body });
    await response.body.dump();
    return response.statusCode;
  }

  // --- the Graph API ---

  private async handle(req: FakeRequest): Promise<FakeResponse> {
    this.calls++;
    const answer = this.answer(req);
    if (this.delay && this.delay.times > 0) {
      this.delay.times--;
      const ms = this.delay.ms;
      await new Promise((resolve) => setTimeout(resolve, ms).unref());
    }
    return answer;
  }

  private answer(req: FakeRequest): FakeResponse {
    if (this.failures && this.failures.times > 0) {
      this.failures.times--;
      const unavailable = this.failures.status === 503;
      return this.error(this.failures.status, {
        message: unavailable
          ? '(#2) Service temporarily unavailable'
          : 'An unexpected error has occurred. Please retry your request later.',
        type: 'OAuthException',
        code: unavailable ? 2 : 1,
        is_transient: true,
      });
    }
    if (this.throttle && this.throttle.times > 0) {
      this.throttle.times--;
      const { code, status, minutes } = this.throttle;
      return this.error(
        status,
        {
          message:
            THROTTLE_MESSAGES[code] ??
            'There have been too many calls to this Page account. Wait a bit and try again.',
          type: 'OAuthException',
          code,
          is_transient: true,
        },
        minutes,
      );
    }

    const match = /^(?:\/v\d+(?:\.\d+)?)?\/([^/]+)(?:\/([a-z_]+))?\/?$/.exec(req.path);
    if (!match) return this.unsupported(req.method, req.path);
    const id = decodeURIComponent(match[1]);
    const edge = match[2];

    const token = this.tokenOf(req);
    if (!token) {
      return this.error(400, {
        message: 'An access token is required to request this resource.',
        type: 'OAuthException',
        code: 104,
      });
    }
    const page = [...this.pages.values()].find((p) => p.token === token);
    if (!page) {
      return this.error(
        400,
        {
          message: 'Invalid OAuth access token - Cannot parse access token',
          type: 'OAuthException',
          code: 190,
        },
        undefined,
        {
          'www-authenticate':
            'OAuth "Facebook Platform" "invalid_token" "Invalid OAuth access token"',
        },
      );
    }
    if (this.tokenExpiries > 0 && !this.expiredTokens.has(token)) {
      this.tokenExpiries -= 1;
      this.expiredTokens.add(token);
      return this.error(400, {
        message: 'Error validating access token: Session has expired.',
        type: 'OAuthException',
        code: 190,
        error_subcode: 463,
      });
    }
    if (this.expiredTokens.has(token)) {
      return this.error(400, {
        message: 'Error validating access token: The session has been invalidated.',
        type: 'OAuthException',
        code: 190,
        error_subcode: 460,
      });
    }

    const params = this.params(req);
    if (req.method === 'GET' && !edge) return this.read(id, page, params);
    if (req.method === 'POST' && edge === 'comments') return this.commentReply(id, page, params);
    if (req.method === 'POST' && edge === 'replies') return this.instagramReply(id, page, params);
    if (req.method === 'POST' && edge === 'messages') return this.sendMessage(id, page, params);
    return this.unsupported(req.method, id);
  }

  private read(id: string, page: MetaPeerPage, params: Record<string, unknown>): FakeResponse {
    const fields = String(params.fields ?? '')
      .split(',')
      .map((f) => f.trim())
      .filter(Boolean);
    const pick = (object: Record<string, unknown>) => {
      const picked: Record<string, unknown> = { id: object.id };
      for (const field of fields) if (field in object) picked[field] = object[field];
      if (!fields.length && 'name' in object) picked.name = object.name;
      return picked;
    };
    if (id === page.id || id === 'me') {
      const linked = [...this.instagram.values()].find((a) => a.pageId === page.id);
      return this.ok(
        pick({
          id: page.id,
          name: page.name,
          ...(linked ? { instagram_business_account: { id: linked.id } } : {}),
        }),
        page,
      );
    }
    const account = this.instagram.get(id);
    if (account && account.pageId === page.id) {
      return this.ok(pick({ id: account.id, username: account.username }), page);
    }
    return this.unsupported('GET', id);
  }

  private commentReply(
    id: string,
    page: MetaPeerPage,
    params: Record<string, unknown>,
  ): FakeResponse {
    const target = this.comments.get(id);
    if (!target || target.provider !== 'facebook' || target.accountId !== page.id) {
      return this.unsupported('POST', id);
    }
    const text = this.textParam(params.message, 8000, 'message');
    if (typeof text !== 'string') return text;
    const created: MetaPeerComment = {
      id: `${target.rootId}_${300000 + this.next()}`,
      provider: 'facebook',
      accountId: page.id,
      rootId: target.rootId,
      parentId: target.id,
      fromId: page.id,
      fromName: page.name,
      text,
      createdAt: this.now(),
    };
    this.comments.set(created.id, created);
    this.posted.push({ kind: 'comment', id: created.id, target: id, text, at: created.createdAt });
    return this.ok({ id: created.id }, page);
  }

  private instagramReply(
    id: string,
    page: MetaPeerPage,
    params: Record<string, unknown>,
  ): FakeResponse {
    const target = this.comments.get(id);
    const account = target ? this.instagram.get(target.accountId) : undefined;
    if (!target || target.provider !== 'instagram' || account?.pageId !== page.id) {
      return this.unsupported('POST', id);
    }
    if (target.parentId) {
      return this.error(400, {
        message: '(#100) Replies can only be made to top-level comments',
        type: 'OAuthException',
        code: 100,
      });
    }
    const text = this.textParam(params.message, 2200, 'message');
    if (typeof text !== 'string') return text;
    const created: MetaPeerComment = {
      id: `179${this.digits(14)}`,
      provider: 'instagram',
      accountId: target.accountId,
      rootId: target.rootId,
      parentId: target.id,
      fromId: target.accountId,
      fromName: account.username,
      text,
      createdAt: this.now(),
    };
    this.comments.set(created.id, created);
    this.posted.push({
      kind: 'instagram_reply',
      id: created.id,
      target: id,
      text,
      at: created.createdAt,
    });
    return this.ok({ id: created.id }, page);
  }

  private sendMessage(
    id: string,
    page: MetaPeerPage,
    params: Record<string, unknown>,
  ): FakeResponse {
    if (id !== page.id && id !== 'me') return this.unsupported('POST', `${id}/messages`);
    const recipient = this.objectParam(params.recipient);
    const message = this.objectParam(params.message);
    if (!recipient || !message) {
      return this.invalid('(#100) The parameter recipient and message are required');
    }
    const text = this.textParam(message.text, 2000, 'message[text]');
    if (typeof text !== 'string') return text;
    const now = this.now();

    if (typeof recipient.comment_id === 'string') {
      // Private Replies: one message per comment, within 7 days of it.
      const comment = this.comments.get(recipient.comment_id);
      if (!comment || comment.provider !== 'facebook' || comment.accountId !== page.id) {
        return this.invalid('(#100) Invalid comment_id', 2018001);
      }
      if (comment.privatelyAnswered || now.getTime() - comment.createdAt.getTime() > 7 * DAY) {
        return this.error(400, {
          message: '(#10) This comment can no longer be answered privately',
          type: 'OAuthException',
          code: 10,
          error_subcode: 2018278,
        });
      }
      comment.privatelyAnswered = true;
      const messageId = this.messageId();
      this.posted.push({
        kind: 'private_reply',
        id: messageId,
        target: page.id,
        text,
        recipient: { comment_id: comment.id },
        at: now,
      });
      return this.ok({ recipient_id: `7${this.digits(15)}`, message_id: messageId }, page);
    }

    const psid = typeof recipient.id === 'string' ? recipient.id : null;
    const last = psid ? this.lastCustomerMessage.get(`${page.id}:${psid}`) : undefined;
    if (!psid || !last) return this.invalid('(#100) No matching user found', 2018001);
    const type = params.messaging_type;
    if (type !== 'RESPONSE' && type !== 'UPDATE' && type !== 'MESSAGE_TAG') {
      return this.invalid(
        '(#100) param messaging_type must be one of {RESPONSE, UPDATE, MESSAGE_TAG}',
      );
    }
    if (type === 'MESSAGE_TAG' && params.tag !== 'HUMAN_AGENT') {
      return this.invalid('(#100) Invalid tag for MESSAGE_TAG');
    }
    const window = type === 'MESSAGE_TAG' ? 7 * DAY : DAY;
    if (now.getTime() - last.getTime() > window) {
      return this.error(400, {
        message: '(#10) This message is sent outside of allowed window.',
        type: 'OAuthException',
        code: 10,
        error_subcode: 2018278,
      });
    }
    const messageId = this.messageId();
    this.posted.push({
      kind: 'message',
      id: messageId,
      target: page.id,
      text,
      recipient: { id: psid },
      messagingType: type,
      tag: typeof params.tag === 'string' ? params.tag : undefined,
      at: now,
    });
    return this.ok({ recipient_id: psid, message_id: messageId }, page);
  }

  // --- plumbing ---

  /** The bearer token, or `access_token` in the query or the body (both are Graph's ways). */
  private tokenOf(req: FakeRequest): string | null {
    const header = req.headers.authorization;
    if (typeof header === 'string') {
      const match = /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(header.trim());
      if (match) return match[1];
    }
    const body = req.parsed as Record<string, unknown> | undefined;
    const value = req.query.get('access_token') ?? body?.access_token;
    return typeof value === 'string' && value ? value : null;
  }

  /** Query and body together, as Graph reads them. */
  private params(req: FakeRequest): Record<string, unknown> {
    const params: Record<string, unknown> = Object.fromEntries(req.query);
    if (req.parsed && typeof req.parsed === 'object') Object.assign(params, req.parsed);
    return params;
  }

  /** Graph takes objects as JSON or as JSON text in a form field. */
  private objectParam(value: unknown): Record<string, unknown> | null {
    let parsed = value;
    if (typeof value === 'string') {
      try {
        parsed = JSON.parse(value);
      } catch {
        return null;
      }
    }
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : null;
  }

  private textParam(value: unknown, limit: number, name: string): string | FakeResponse {
    if (typeof value !== 'string' || !value.trim()) {
      return this.invalid(`(#100) The parameter ${name} is required`);
    }
    if ([...value].length > limit) {
      return this.invalid(`(#100) Length of param ${name} must be less than or equal to ${limit}`);
    }
    return value;
  }

  private usageHeaders(pageId: string | null, minutes = 0): Record<string, string> {
    const percent = Math.min(100, this.calls % 100);
    const headers: Record<string, string> = {
      'x-app-usage': JSON.stringify({ call_count: percent, total_cputime: 1, total_time: 1 }),
      'x-fb-trace-id': `Fk${this.calls}`,
    };
    if (pageId) {
      headers['x-business-use-case-usage'] = JSON.stringify({
        [pageId]: [
          {
            type: 'pages',
            call_count: minutes ? 100 : percent,
            total_cputime: 1,
            total_time: 1,
            estimated_time_to_regain_access: minutes,
          },
        ],
      });
    }
    return headers;
  }

  private ok(json: unknown, page: MetaPeerPage): FakeResponse {
    return { status: 200, json, headers: this.usageHeaders(page.id) };
  }

  private error(
    status: number,
    error: Record<string, unknown>,
    minutes?: number | null,
    extraHeaders: Record<string, string> = {},
  ): FakeResponse {
    const firstPage = [...this.pages.keys()][0] ?? null;
    const headers =
      minutes === null
        ? { 'x-app-usage': JSON.stringify({ call_count: 100, total_cputime: 1, total_time: 1 }) }
        : this.usageHeaders(firstPage, minutes ?? 0);
    return {
      status,
      headers: { ...headers, ...extraHeaders },
      json: { error: { ...error, fbtrace_id: `A${this.digits(10)}` } },
    };
  }

  private invalid(message: string, subcode?: number): FakeResponse {
    const error: Record<string, unknown> = { message, type: 'OAuthException', code: 100 };
    if (subcode) error.error_subcode = subcode;
    return this.error(400, error);
  }

  private unsupported(method: string, id: string): FakeResponse {
    return this.error(400, {
      message: `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
      type: 'GraphMethodException',
      code: 100,
      error_subcode: 33,
    });
  }

  private next(): number {
    return ++this.sequence;
  }

  /** Deterministic digits that look like Meta's ids. */
  private digits(length: number): string {
    const n = this.next();
    const base = String(n * 7919 + 1_000_003);
    return base.padStart(length, '0').slice(-length);
  }

  private messageId(): string {
    return `m_${Buffer.from(`reply:${this.next()}`).toString('base64url')}`;
  }
}
