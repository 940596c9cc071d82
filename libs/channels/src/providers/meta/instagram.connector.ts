import type {
  ChannelCapabilities,
  ChannelConnector,
  ConnectedAccount,
  OutboundReply,
  ParseOptions,
  VerifiedAccount,
} from '../../connector';
import { CredentialsInvalid, Permanent } from '../../errors';
import type { SafeHttp } from '../../http/safe-http';
import type { MetaConnectorOptions } from './facebook.connector';
import {
  answeredId,
  characterCount,
  graphCall,
  idOf,
  idPath,
  objectOf,
  parseMetaConfig,
  type MetaSecrets,
} from './graph';

export interface InstagramConfig {
  igUserId: string;
  graphBaseUrl: string;
}

export type InstagramSecrets = MetaSecrets;

/** Instagram comments take 2200 characters. */
export const INSTAGRAM_COMMENT_LIMIT = 2200;

/**
 * Instagram comments on a professional account, through the Graph API with the linked page's
 * token. Push, not poll (the Meta webhook, webhook.ts); no private answers here.
 */
export class InstagramConnector implements ChannelConnector<InstagramConfig, InstagramSecrets> {
  readonly capabilities: ChannelCapabilities = {
    provider: 'instagram',
    ingest: 'webhook',
    directMessages: false,
    idempotentSend: false,
    length: { limit: INSTAGRAM_COMMENT_LIMIT, counting: 'characters' },
  };

  private readonly now: () => Date;
  private readonly timeoutMs?: number;

  constructor(options: MetaConnectorOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.timeoutMs = options.timeoutMs;
  }

  parseConfig(
    input: unknown,
    options: ParseOptions = { allowInsecureUrls: false },
  ): { config: InstagramConfig; secrets: InstagramSecrets; externalAccountId: string } {
    return parseMetaConfig(input, 'igUserId', options);
  }

  /** Meta has no idempotency key: the reply id only names the attempt in our records. */
  newIdempotencyKey(replyId: string, _now?: Date): string {
    return replyId;
  }

  async verify(
    account: ConnectedAccount<InstagramConfig, InstagramSecrets>,
    http: SafeHttp,
  ): Promise<VerifiedAccount<InstagramSecrets>> {
    const { igUserId, graphBaseUrl } = account.config;
    // The page token's page must be linked to this Instagram account: proof that the account is
    // the organisation's (webhook deliveries are routed by this id), not only readable.
    const page = await graphCall(http, {
      method: 'GET',
      baseUrl: graphBaseUrl,
      path: '/me',
      query: { fields: 'id,instagram_business_account' },
      token: account.secrets.pageAccessToken,
      purpose: 'verify',
      now: this.now(),
      timeoutMs: this.timeoutMs,
    });
    const linked = page.instagram_business_account as { id?: unknown } | undefined;
    if (idOf(linked?.id) !== igUserId) {
      throw new CredentialsInvalid(
        `the token's page is not linked to Instagram account ${igUserId}`,
      );
    }
    const user = await graphCall(http, {
      method: 'GET',
      baseUrl: graphBaseUrl,
      path: idPath(igUserId),
      query: { fields: 'id,username' },
      token: account.secrets.pageAccessToken,
      purpose: 'verify',
      now: this.now(),
      timeoutMs: this.timeoutMs,
    });
    if (idOf(user.id) !== igUserId) {
      throw new CredentialsInvalid(
        `Meta answered another object than Instagram account ${igUserId}`,
      );
    }
    const username = typeof user.username === 'string' ? user.username.trim() : '';
    if (!username) {
      throw new CredentialsInvalid(
        `${igUserId} is not an Instagram professional account this token can read`,
      );
    }
    return { handle: `@${username.replace(/^@/, '')}`, externalAccountId: igUserId };
  }

  /**
   * POST /{ig-comment-id}/replies. Instagram threads are one level deep: when the customer's
   * comment is itself a reply, the answer goes under its parent, starting with the customer's
   * @username (as Instagram's own app does) so that they are notified.
   */
  async send(
    account: ConnectedAccount<InstagramConfig, InstagramSecrets>,
    reply: OutboundReply,
    http: SafeHttp,
  ): Promise<{ externalId: string }> {
    if (reply.private) throw new Permanent('this channel has no direct messages');
    if (!reply.text.trim()) throw new Permanent('the reply is empty');
    const raw = reply.inReplyTo.raw ?? {};
    const value = objectOf(raw.value) ?? raw;
    const parentId = idOf(value.parent_id);
    let text = reply.text;
    const handle = reply.inReplyTo.authorHandle;
    if (parentId && /^@[\w.]+$/.test(handle) && !text.startsWith(handle)) {
      text = `${handle} ${text}`;
    }
    if (characterCount(text) > INSTAGRAM_COMMENT_LIMIT) {
      throw new Permanent(
        `an Instagram comment takes at most ${INSTAGRAM_COMMENT_LIMIT} characters`,
      );
    }
    const answer = await graphCall(http, {
      method: 'POST',
      baseUrl: account.config.graphBaseUrl,
      path: idPath(parentId ?? reply.inReplyTo.externalId, 'replies'),
      form: { message: text },
      token: account.secrets.pageAccessToken,
      purpose: 'send',
      now: this.now(),
      timeoutMs: this.timeoutMs,
    });
    return { externalId: answeredId(answer, 'id') };
  }
}
