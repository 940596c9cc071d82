import { CHANNEL_LENGTH_RULES } from '@toonbank/shared';
import type {
  ChannelCapabilities,
  ChannelConnector,
  ConnectedAccount,
  OutboundReply,
  VerifiedAccount,
  LinkAccount,
  PostLink,
} from '../../connector';
import { facebookCommentUrl } from '../../external-urls';
import { CredentialsInvalid, Permanent } from '../../errors';
import type { SafeHttp } from '../../http/safe-http';
import {
  answeredId,
  characterCount,
  idOf,
  idPath,
  objectOf,
  timeOf,
  type MetaSecrets,
} from './graph';
import { MetaConnector, type MetaConnectorOptions } from './meta-connector';
import { metaProviderWebhook } from './webhook';

export interface FacebookConfig {
  pageId: string;
  graphBaseUrl: string;
}

export type FacebookSecrets = MetaSecrets;

const HOUR = 3_600_000;
/** Messenger's standard window after the customer's last message. */
export const MESSENGER_STANDARD_WINDOW_MS = 24 * HOUR;
/** The HUMAN_AGENT tag's window; also how long a comment can get a private reply. */
export const MESSENGER_HUMAN_AGENT_WINDOW_MS = 7 * 24 * HOUR;
/** Page comments take 8000 characters. */
export const FACEBOOK_COMMENT_LIMIT = 8000;
/** The Send API takes 2000 characters of text per message (Send API reference; from memory). */
export const MESSENGER_TEXT_LIMIT = 2000;

/**
 * Facebook Page comments and Messenger through the Graph API. Push, not poll: items arrive by
 * the Meta webhook (webhook.ts), so there is no fetch().
 */
export class FacebookConnector
  extends MetaConnector<'pageId'>
  implements ChannelConnector<FacebookConfig, FacebookSecrets>
{
  readonly capabilities: ChannelCapabilities = {
    provider: 'facebook',
    ingest: 'webhook',
    directMessages: true,
    idempotentSend: false,
    length: CHANNEL_LENGTH_RULES.facebook.public,
  };

  /** Page comments and Messenger arrive on the Meta webhook as `object: "page"`. */
  readonly webhook = metaProviderWebhook('facebook', 'page');

  constructor(options: MetaConnectorOptions = {}) {
    super('pageId', options);
  }

  async verify(
    account: ConnectedAccount<FacebookConfig, FacebookSecrets>,
    http: SafeHttp,
  ): Promise<VerifiedAccount<FacebookSecrets>> {
    const { pageId } = account.config;
    const page = await this.graph(http, account, {
      method: 'GET',
      // `me` with a page token is that page: proof that the token belongs to the page, not
      // only that it can read it (webhook deliveries are routed by this page id).
      path: '/me',
      query: { fields: 'id,name' },
      purpose: 'verify',
    });
    if (idOf(page.id) !== pageId) {
      throw new CredentialsInvalid(`the token is not a page access token of page ${pageId}`);
    }
    const name = typeof page.name === 'string' ? page.name.trim() : '';
    return { handle: name || pageId, externalAccountId: pageId };
  }

  /** The post's public URL (external-urls.ts). */
  externalUrl(_account: LinkAccount<FacebookConfig>, post: PostLink): string | null {
    return facebookCommentUrl(post);
  }

  async send(
    account: ConnectedAccount<FacebookConfig, FacebookSecrets>,
    reply: OutboundReply,
    http: SafeHttp,
  ): Promise<{ externalId: string }> {
    const raw = reply.inReplyTo.raw ?? {};
    const isMessage =
      reply.inReplyTo.visibility === 'direct' || idOf(objectOf(raw.message)?.mid) !== null;
    if (!reply.text.trim()) throw new Permanent('the reply is empty');
    if (isMessage) return this.sendMessage(account, reply, raw, http);
    if (reply.private) return this.sendPrivateReply(account, reply, raw, http);
    return this.sendComment(account, reply, http);
  }

  /** A reply under the customer's comment: POST /{comment-id}/comments. */
  private async sendComment(
    account: ConnectedAccount<FacebookConfig, FacebookSecrets>,
    reply: OutboundReply,
    http: SafeHttp,
  ): Promise<{ externalId: string }> {
    if (characterCount(reply.text) > FACEBOOK_COMMENT_LIMIT) {
      throw new Permanent(`a comment takes at most ${FACEBOOK_COMMENT_LIMIT} characters`);
    }
    const answer = await this.graph(http, account, {
      method: 'POST',
      path: idPath(reply.inReplyTo.externalId, 'comments'),
      form: { message: reply.text },
      purpose: 'send',
    });
    return { externalId: answeredId(answer, 'id') };
  }

  /**
   * A Messenger answer: RESPONSE within 24 hours of the customer's message, the HUMAN_AGENT tag
   * up to 7 days, nothing later. The age is that of the message being answered (its raw
   * `timestamp`), which the inbox passes as the customer's last one.
   */
  private async sendMessage(
    account: ConnectedAccount<FacebookConfig, FacebookSecrets>,
    reply: OutboundReply,
    raw: Record<string, unknown>,
    http: SafeHttp,
  ): Promise<{ externalId: string }> {
    const psid = idOf(objectOf(raw.sender)?.id) ?? idOf(reply.inReplyTo.authorExternalId);
    if (!psid) throw new Permanent('the customer has no Messenger id to answer');
    this.checkMessageLength(reply.text);
    const now = this.now();
    const sentAt = timeOf(raw.timestamp);
    const age = sentAt ? now.getTime() - sentAt.getTime() : 0;
    if (age > MESSENGER_HUMAN_AGENT_WINDOW_MS) {
      throw new Permanent(
        'Messenger allows an answer only within 7 days of the customer\u2019s last message',
      );
    }
    const type =
      age > MESSENGER_STANDARD_WINDOW_MS
        ? { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' }
        : { messaging_type: 'RESPONSE' };
    const answer = await this.graph(http, account, {
      method: 'POST',
      path: idPath(account.config.pageId, 'messages'),
      json: { recipient: { id: psid }, ...type, message: { text: reply.text } },
      purpose: 'send',
      now,
    });
    return { externalId: answeredId(answer, 'message_id') };
  }

  /**
   * A private answer to a page comment (Private Replies): POST /{page-id}/messages with
   * `recipient.comment_id`. One per comment, within 7 days of it (*unverified* shape).
   */
  private async sendPrivateReply(
    account: ConnectedAccount<FacebookConfig, FacebookSecrets>,
    reply: OutboundReply,
    raw: Record<string, unknown>,
    http: SafeHttp,
  ): Promise<{ externalId: string }> {
    this.checkMessageLength(reply.text);
    const now = this.now();
    const value = objectOf(raw.value) ?? raw;
    const commentedAt = timeOf(value.created_time);
    if (commentedAt && now.getTime() - commentedAt.getTime() > MESSENGER_HUMAN_AGENT_WINDOW_MS) {
      throw new Permanent('Meta allows a private answer to a comment only within 7 days of it');
    }
    const answer = await this.graph(http, account, {
      method: 'POST',
      path: idPath(account.config.pageId, 'messages'),
      json: {
        recipient: { comment_id: reply.inReplyTo.externalId },
        message: { text: reply.text },
      },
      purpose: 'send',
      now,
    });
    return { externalId: answeredId(answer, 'message_id') };
  }

  private checkMessageLength(text: string): void {
    if (characterCount(text) > MESSENGER_TEXT_LIMIT) {
      throw new Permanent(`a Messenger message takes at most ${MESSENGER_TEXT_LIMIT} characters`);
    }
  }
}
