import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { InboundItem } from '../../connector';
import { InvalidPayload, rejectionReason } from '../../errors';
import type { ProviderWebhook, WebhookEndpoint } from '../../webhooks';
import { idOf, objectOf, timeOf } from './graph';

/**
 * The Meta webhook (CHANNELS.md §Meta), `/api/webhooks/meta`: one endpoint for every
 * organisation, signed with the app secret. The app secret and verify token are deployment
 * settings (they belong to the Meta app, not to a page). A delivery goes to the provider of its
 * `object` (`page` → Facebook, `instagram`; WhatsApp's `whatsapp_business_account` will arrive
 * here too), which routes each entry to its channel account by `entry[].id`.
 */
export const META_WEBHOOK: WebhookEndpoint = {
  name: 'meta',
  settings: ['META_APP_SECRET', 'META_VERIFY_TOKEN'],
  handshake(query, settings) {
    const verifyToken = settings.META_VERIFY_TOKEN;
    return verifyToken ? verifyMetaHandshake(query, verifyToken) : null;
  },
  verify(rawBody, headers, settings) {
    const secret = settings.META_APP_SECRET;
    const signature = headers['x-hub-signature-256'];
    return (
      !!secret &&
      verifyMetaSignature(rawBody, typeof signature === 'string' ? signature : undefined, secret)
    );
  },
  kindOf: metaDeliveryObject,
};

/** A Meta provider's side of the Meta webhook: the deliveries whose `object` is `kind`. */
export function metaProviderWebhook(provider: MetaProvider, kind: string): ProviderWebhook {
  return {
    endpoint: META_WEBHOOK,
    kind,
    parse: (body) =>
      parseMetaEntries(body, provider).entries.map(({ accountExternalId, items, rejected }) => ({
        accountExternalId,
        items,
        rejected,
      })),
  };
}

const SIGNATURE = /^sha256=([0-9a-fA-F]{64})$/;

/**
 * Checks `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(appSecret, raw body)>` over the raw
 * bytes, in constant time. False for a missing or malformed header, never throws.
 */
export function verifyMetaSignature(
  rawBody: Buffer,
  header: string | undefined,
  appSecret: string,
): boolean {
  try {
    if (!Buffer.isBuffer(rawBody) || typeof header !== 'string' || !appSecret) return false;
    const match = SIGNATURE.exec(header.trim());
    if (!match) return false;
    const given = Buffer.from(match[1], 'hex');
    const expected = createHmac('sha256', appSecret).update(rawBody).digest();
    return given.length === expected.length && timingSafeEqual(given, expected);
  } catch {
    return false;
  }
}

/** Express parses `hub.mode` as a flat key; qs with allowDots would nest it under `hub`. */
function hubParam(query: Record<string, unknown>, name: string): string | null {
  const flat = query[`hub.${name}`];
  const nested = objectOf(query.hub)?.[name];
  const value = flat !== undefined ? flat : nested;
  return typeof value === 'string' ? value : null;
}

function sameSecret(a: string, b: string): boolean {
  // Hashing first gives equal lengths, so the comparison time says nothing about either.
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb);
}

/**
 * The subscription handshake: the challenge to answer (200, as the body) when `hub.mode` is
 * `subscribe` and `hub.verify_token` matches, else null (answer 403).
 */
export function verifyMetaHandshake(
  query: Record<string, unknown>,
  verifyToken: string,
): string | null {
  if (typeof query !== 'object' || query === null || !verifyToken) return null;
  const mode = hubParam(query, 'mode');
  const token = hubParam(query, 'verify_token');
  const challenge = hubParam(query, 'challenge');
  if (mode !== 'subscribe' || token === null || challenge === null) return null;
  // Meta sends a number; refuse anything that could be markup when echoed back.
  if (!/^[\w.~-]{1,512}$/.test(challenge)) return null;
  return sameSecret(token, verifyToken) ? challenge : null;
}

export type MetaProvider = 'facebook' | 'instagram';

export interface MetaRejected {
  reason: string;
  raw: unknown;
}

export interface MetaDeliveryEntry {
  provider: MetaProvider;
  /** The page id or Instagram account id the entry is for: what the caller routes by. */
  accountExternalId: string;
  items: InboundItem[];
  rejected: MetaRejected[];
}

export interface MetaDelivery {
  entries: MetaDeliveryEntry[];
  /** Entries that cannot be routed (no account id): nobody to give them to. */
  unroutable: MetaRejected[];
}

const OBJECT_PROVIDER = new Map<string, MetaProvider>([
  ['page', 'facebook'],
  ['instagram', 'instagram'],
]);

/** Messenger events that are not a customer's message: skipped, not rejected. */
const NOT_A_MESSAGE = [
  'delivery',
  'read',
  'reaction',
  'postback',
  'optin',
  'referral',
  'account_linking',
  'message_edit',
  'pass_thread_control',
  'take_thread_control',
  'request_thread_control',
  'app_roles',
  'policy_enforcement',
];

/** A list item was skipped on purpose (an edit, a like, our own echo): not an error. */
const SKIP = Symbol('skip');
type Outcome = InboundItem | typeof SKIP | string;

/**
 * Turns a verified delivery into items per account. A body that is not a Meta delivery at all
 * (no `object`, no `entry` array, an object we do not subscribe to) throws InvalidPayload; an
 * item without the documented shape is rejected with a reason and the rest goes on. Edits,
 * removals, likes, echoes of our own messages, delivery and read receipts are skipped.
 */
export function parseMetaDelivery(body: unknown): MetaDelivery {
  const object = metaDeliveryObject(body);
  const provider = OBJECT_PROVIDER.get(object);
  if (!provider) {
    throw new InvalidPayload(
      `not a delivery for pages or Instagram: object ${JSON.stringify(object)}`,
    );
  }
  return parseMetaEntries(body, provider);
}

/**
 * The `object` of a Meta delivery (`page`, `instagram`, `whatsapp_business_account`): which
 * provider reads it. InvalidPayload when the body is not a delivery at all.
 */
export function metaDeliveryObject(body: unknown): string {
  const delivery = objectOf(body);
  if (!delivery) throw new InvalidPayload('not a Meta webhook delivery: the body is not an object');
  if (!Array.isArray(delivery.entry)) {
    throw new InvalidPayload('not a Meta webhook delivery: no entry array');
  }
  if (typeof delivery.object !== 'string') {
    throw new InvalidPayload(
      `not a delivery for pages or Instagram: object ${JSON.stringify(delivery.object ?? null)}`,
    );
  }
  return delivery.object;
}

/** The entries of a delivery whose `object` is the provider's (`page` → facebook, `instagram`). */
function parseMetaEntries(body: unknown, provider: MetaProvider): MetaDelivery {
  metaDeliveryObject(body);
  const entries = (body as { entry: unknown[] }).entry;
  const byAccount = new Map<string, MetaDeliveryEntry>();
  const unroutable: MetaRejected[] = [];
  for (const rawEntry of entries) {
    const entry = objectOf(rawEntry);
    const accountId = idOf(entry?.id);
    if (!entry || !accountId) {
      unroutable.push({ reason: 'entry without an id', raw: rawEntry });
      continue;
    }
    let target = byAccount.get(accountId);
    if (!target) {
      target = { provider, accountExternalId: accountId, items: [], rejected: [] };
      byAccount.set(accountId, target);
    }
    // Whatever reading one change or event throws, the rest of the delivery goes on.
    const add = (read: () => Outcome, raw: unknown) => {
      let outcome: Outcome;
      try {
        outcome = read();
      } catch (error) {
        outcome = rejectionReason(error);
      }
      if (outcome === SKIP) return;
      if (typeof outcome === 'string') target!.rejected.push({ reason: outcome, raw });
      else target!.items.push(outcome);
    };

    if (entry.changes !== undefined) {
      if (!Array.isArray(entry.changes)) add(() => 'changes is not a list', entry.changes);
      else {
        for (const change of entry.changes) {
          add(
            () =>
              provider === 'facebook'
                ? pageChange(change, accountId, entry.time)
                : instagramChange(change, accountId, entry.time),
            change,
          );
        }
      }
    }
    if (entry.messaging !== undefined) {
      if (!Array.isArray(entry.messaging)) add(() => 'messaging is not a list', entry.messaging);
      else {
        for (const event of entry.messaging) {
          add(
            () =>
              provider === 'facebook'
                ? messengerEvent(event, accountId, entry.time)
                : 'Instagram direct messages are not supported',
            event,
          );
        }
      }
    }
  }
  return { entries: [...byAccount.values()], unroutable };
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** `field: feed` on a page: customers' new comments only. */
function pageChange(raw: unknown, pageId: string, entryTime: unknown): Outcome {
  const change = objectOf(raw);
  if (!change) return 'change is not an object';
  if (change.field !== 'feed') return SKIP;
  const value = objectOf(change.value);
  if (!value) return 'feed change without a value';
  if (value.item !== 'comment' || value.verb !== 'add') return SKIP;

  const commentId = idOf(value.comment_id);
  if (!commentId) return 'page comment without comment_id';
  const from = objectOf(value.from);
  const authorId = idOf(from?.id);
  if (!authorId) return 'page comment without from.id';
  // The page's own comments (our replies) come back through the same webhook.
  if (authorId === pageId) return SKIP;
  const attachments = commentAttachments(value);
  const message = text(value.message);
  if (message === null && value.message !== undefined) return 'page comment message is not text';
  if (!message && attachments.length === 0) return 'page comment without text';
  const createdAt = timeOf(value.created_time) ?? timeOf(entryTime);
  if (!createdAt) return 'page comment without created_time';

  const postId = idOf(value.post_id);
  const parentId = idOf(value.parent_id);
  const name = text(from?.name)?.trim() || null;
  return {
    externalId: commentId,
    authorExternalId: authorId,
    authorHandle: name ?? `fb:${authorId}`,
    authorName: name,
    text: message ?? '',
    createdAt,
    inReplyToExternalId: parentId && parentId !== postId ? parentId : null,
    threadRootExternalId: postId,
    visibility: 'public',
    language: null,
    attachments,
    raw: change,
  };
}

function commentAttachments(value: Record<string, unknown>): InboundItem['attachments'] {
  const found: InboundItem['attachments'] = [];
  if (typeof value.photo === 'string' && /^https?:\/\//.test(value.photo))
    found.push({ type: 'image', url: value.photo });
  if (typeof value.video === 'string' && /^https?:\/\//.test(value.video))
    found.push({ type: 'video', url: value.video });
  return found;
}

/** `field: comments` on an Instagram account. */
function instagramChange(raw: unknown, igUserId: string, entryTime: unknown): Outcome {
  const change = objectOf(raw);
  if (!change) return 'change is not an object';
  if (change.field !== 'comments' && change.field !== 'live_comments') return SKIP;
  const value = objectOf(change.value);
  if (!value) return 'comments change without a value';

  const id = idOf(value.id);
  if (!id) return 'Instagram comment without id';
  const from = objectOf(value.from);
  const authorId = idOf(from?.id);
  if (!authorId) return 'Instagram comment without from.id';
  if (authorId === igUserId) return SKIP;
  const body = text(value.text);
  if (body === null) return 'Instagram comment without text';
  const createdAt = timeOf(value.timestamp) ?? timeOf(entryTime);
  if (!createdAt) return 'Instagram comment without a time';

  const username = text(from?.username)?.trim().replace(/^@/, '') || null;
  return {
    externalId: id,
    authorExternalId: authorId,
    authorHandle: username ? `@${username}` : `ig:${authorId}`,
    authorName: null,
    text: body,
    createdAt,
    inReplyToExternalId: idOf(value.parent_id),
    threadRootExternalId: idOf(objectOf(value.media)?.id),
    visibility: 'public',
    language: null,
    attachments: [],
    raw: change,
  };
}

/** `entry[].messaging[]` on a page: a customer's Messenger message. */
function messengerEvent(raw: unknown, pageId: string, entryTime: unknown): Outcome {
  const event = objectOf(raw);
  if (!event) return 'messaging event is not an object';
  const message = objectOf(event.message);
  if (!message) {
    if (event.message !== undefined) return 'messaging event message is not an object';
    return NOT_A_MESSAGE.some((key) => key in event) ? SKIP : 'unknown messaging event';
  }
  if (message.is_echo === true) return SKIP;
  const mid = idOf(message.mid);
  if (!mid) return 'Messenger message without mid';
  const senderId = idOf(objectOf(event.sender)?.id);
  if (!senderId) return 'Messenger message without sender.id';
  if (senderId === pageId) return SKIP;
  const attachments = messageAttachments(message.attachments);
  const body = text(message.text);
  if (body === null && attachments.length === 0) return 'Messenger message without text';
  const createdAt = timeOf(event.timestamp) ?? timeOf(entryTime);
  if (!createdAt) return 'Messenger message without timestamp';
  const sender = objectOf(event.sender);
  const name = text(sender?.name)?.trim() || null;

  return {
    externalId: mid,
    authorExternalId: senderId,
    authorHandle: name ?? `fb:${senderId}`,
    authorName: name,
    text: body ?? '',
    createdAt,
    inReplyToExternalId: idOf(objectOf(message.reply_to)?.mid),
    threadRootExternalId: null,
    visibility: 'direct',
    language: null,
    attachments,
    raw: event,
  };
}

function messageAttachments(value: unknown): InboundItem['attachments'] {
  if (!Array.isArray(value)) return [];
  const found: InboundItem['attachments'] = [];
  for (const item of value) {
    const attachment = objectOf(item);
    const url = text(objectOf(attachment?.payload)?.url);
    const type = text(attachment?.type) ?? 'file';
    if (url && /^https?:\/\//.test(url)) found.push({ type, url });
  }
  return found;
}
