import type { ChannelConfigFieldDto, ChannelProvider, LengthRule } from '@toonbank/shared';
import type { SafeHttp } from './http/safe-http';
import type { ProviderWebhook } from './webhooks';

export type { LengthRule };

/** One field of the `config` parseConfig reads, described once for the web app's form. */
export type ConfigField = ChannelConfigFieldDto;

export interface ChannelCapabilities {
  provider: ChannelProvider;
  /** Polled by the worker (fetch), or pushed to a webhook (the connector's `webhook`). */
  ingest: 'poll' | 'webhook';
  /** Can answer privately (a direct message). */
  directMessages: boolean;
  /** The channel de-duplicates a retried send by a key of ours (safe to retry after a timeout). */
  idempotentSend: boolean;
  /** How long the channel remembers a key (absent: for good, like Bluesky's record key). */
  idempotencyWindowMs?: number;
  /** A public reply's length rule (libs/shared CHANNEL_LENGTH_RULES, which the tone check reads too). */
  length: LengthRule;
}

/** An inbound item, normalised: what the inbox stores as a message. */
export interface InboundItem {
  /** The channel's id of the post itself (API.md §Channels). */
  externalId: string;
  /** The customer's stable id on the channel (account id, DID, PSID). */
  authorExternalId: string;
  /** What people call the customer: `@user@domain`, `@handle.bsky.social`, `@username`, or a name where the channel has no handle. */
  authorHandle: string;
  authorName: string | null;
  /** Plain text (Mastodon's HTML is turned into text). */
  text: string;
  createdAt: Date;
  /** The external id of the post this one answers, when it answers one. */
  inReplyToExternalId: string | null;
  /** The external id of the thread's first post, when the channel says. */
  threadRootExternalId: string | null;
  /** `public`, `direct` (a direct or private message) or the channel's own word. */
  visibility: string;
  language: string | null;
  attachments: { type: string; url: string }[];
  /** The channel's payload as received. */
  raw: Record<string, unknown>;
}

/** Where polling goes on from; opaque to everyone but its provider, stored as JSON. */
export type ChannelCursor = Record<string, unknown>;

/** One page of a poll. */
export interface FetchedPage {
  items: InboundItem[];
  /** Items of this page that did not have the documented shape (skipped, with why). */
  rejected: { reason: string; raw: unknown }[];
  /**
   * The cursor to store once this page and every earlier one are committed, or null when it is
   * not yet safe to store one (a channel read from the newest item down stores its cursor
   * only after the last page).
   */
  cursor: ChannelCursor | null;
}

/** A connected account as a connector sees it. */
export interface ConnectedAccount<
  Config = Record<string, unknown>,
  Secrets = Record<string, unknown>,
> {
  config: Config;
  secrets: Secrets;
  /** The channel's id of the account (Meta page or Instagram id; the X user id). */
  externalAccountId: string | null;
}

/** The result of checking credentials when connecting (and what the account is called). */
export interface VerifiedAccount<Secrets = Record<string, unknown>> {
  handle: string;
  externalAccountId: string | null;
  /** Secrets as they must be stored from now on (a session the check opened, rotated tokens). */
  secrets?: Secrets;
}

/** The account a post was read or written on, as far as its public URL needs it. */
export interface LinkAccount<Config = Record<string, unknown>> {
  /** The account's config (never its secrets): the Mastodon instance, the Meta page. */
  config: Config;
  /** What the account is called on the channel (`@name@instance`, `@handle.bsky.social`). */
  handle: string | null;
  externalAccountId: string | null;
}

/** A post (inbound or ours) whose public URL is wanted. */
export interface PostLink {
  /** The channel's id of the post (API.md §Channels). */
  externalId: string;
  /** Its author's handle as stored (the customer's, or the account's own for our replies). */
  authorHandle: string | null;
  /** `direct` (a direct or private message: no public URL), `public`, or the channel's word. */
  visibility: string | null;
}

/** A reply to post, with what the channel needs to put it in the customer's thread. */
export interface OutboundReply {
  /** Our reply's id: the idempotency key where the channel has one. */
  replyId: string;
  /** A key derived before the first attempt and stored with the reply (Bluesky's rkey). */
  idempotencyKey: string;
  text: string;
  /** Answer by direct message. */
  private: boolean;
  /** The customer's message being answered. */
  inReplyTo: {
    externalId: string;
    authorExternalId: string;
    authorHandle: string;
    visibility: string;
    raw: Record<string, unknown> | null;
  };
}

export interface RefreshOptions {
  /**
   * Renew even when the secrets look valid by our clock: the channel has just answered
   * TokenExpired for them.
   */
  force?: boolean;
}

export interface ParseOptions {
  /** http:// and private addresses allowed in URL fields (CHANNEL_ALLOW_INSECURE_URLS: development and tests). */
  allowInsecureUrls: boolean;
}

export interface ChannelConnector<
  Config = Record<string, unknown>,
  Secrets = Record<string, unknown>,
> {
  readonly capabilities: ChannelCapabilities;

  /**
   * The fields of `config` that parseConfig reads, in the order a form asks for them (served by
   * GET /api/channels/providers; `channel-fields.spec.ts` holds each description to its parser).
   */
  readonly configFields: readonly ConfigField[];

  /** Pushed channels: the endpoint their deliveries arrive on and how to read one. */
  readonly webhook?: ProviderWebhook;

  /**
   * Splits and checks the `config` of POST /api/channels: what may be shown (instance URL,
   * page id) and what is secret (tokens, passwords). Throws InvalidPayload with a message per
   * problem when the config is not right.
   */
  parseConfig(
    input: unknown,
    options: ParseOptions,
  ): { config: Config; secrets: Secrets; externalAccountId: string | null };

  /**
   * A key for a reply, made before its first attempt and stored with it, that the channel
   * sees on every attempt (Mastodon's Idempotency-Key, Bluesky's record key, a TID).
   */
  newIdempotencyKey(replyId: string, now: Date): string;

  /** Asks the channel whether the credentials work (CredentialsInvalid if not). */
  verify(
    account: ConnectedAccount<Config, Secrets>,
    http: SafeHttp,
  ): Promise<VerifiedAccount<Secrets>>;

  /**
   * Secrets that expire (X tokens, Bluesky sessions) are renewed before they do: the new
   * secrets, to be stored at once, or null when nothing needed renewing. With `force`, they
   * are renewed whatever their expiry says (the channel refused them as expired).
   */
  refresh?(
    account: ConnectedAccount<Config, Secrets>,
    http: SafeHttp,
    now: Date,
    options?: RefreshOptions,
  ): Promise<Secrets | null>;

  /**
   * Polled channels: everything newer than the cursor, page by page, following the channel's
   * paging until nothing new is left. With no cursor (a new channel), the newest page only.
   */
  fetch?(
    account: ConnectedAccount<Config, Secrets>,
    cursor: ChannelCursor | null,
    http: SafeHttp,
  ): AsyncIterable<FetchedPage>;

  /**
   * The post's public URL on the channel, from the account and the post's id alone (pure: no
   * network, no clock); null for a direct message, or where the channel's ids give no URL.
   */
  externalUrl(account: LinkAccount<Config>, post: PostLink): string | null;

  /** Posts a reply in the customer's thread (or privately); answers the channel's id of the post. */
  send(
    account: ConnectedAccount<Config, Secrets>,
    reply: OutboundReply,
    http: SafeHttp,
  ): Promise<{ externalId: string }>;
}
