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
import { instagramCommentUrl } from '../../external-urls';
import { CredentialsInvalid, Permanent } from '../../errors';
import type { SafeHttp } from '../../http/safe-http';
import { answeredId, characterCount, idOf, idPath, objectOf, type MetaSecrets } from './graph';
import { MetaConnector, type MetaConnectorOptions } from './meta-connector';
import { metaProviderWebhook } from './webhook';

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
export class InstagramConnector
  extends MetaConnector<'igUserId'>
  implements ChannelConnector<InstagramConfig, InstagramSecrets>
{
  readonly capabilities: ChannelCapabilities = {
    provider: 'instagram',
    ingest: 'webhook',
    directMessages: false,
    idempotentSend: false,
    length: CHANNEL_LENGTH_RULES.instagram.public,
  };

  /** Comments arrive on the Meta webhook as `object: "instagram"`. */
  readonly webhook = metaProviderWebhook('instagram', 'instagram');

  constructor(options: MetaConnectorOptions = {}) {
    super('igUserId', options);
  }

  async verify(
    account: ConnectedAccount<InstagramConfig, InstagramSecrets>,
    http: SafeHttp,
  ): Promise<VerifiedAccount<InstagramSecrets>> {
    const { igUserId } = account.config;
    // The page token's page must be linked to this Instagram account: proof that the account is
    // the organisation's (webhook deliveries are routed by this id), not only readable.
    const page = await this.graph(http, account, {
      method: 'GET',
      path: '/me',
      query: { fields: 'id,instagram_business_account' },
      purpose: 'verify',
    });
    const linked = page.instagram_business_account as { id?: unknown } | undefined;
    if (idOf(linked?.id) !== igUserId) {
      throw new CredentialsInvalid(
        `the token's page is not linked to Instagram account ${igUserId}`,
      );
    }
    const user = await this.graph(http, account, {
      method: 'GET',
      path: idPath(igUserId),
      query: { fields: 'id,username' },
      purpose: 'verify',
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

  /** The post's public URL (external-urls.ts). */
  externalUrl(_account: LinkAccount<InstagramConfig>, post: PostLink): string | null {
    return instagramCommentUrl(post);
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
    const answer = await this.graph(http, account, {
      method: 'POST',
      path: idPath(parentId ?? reply.inReplyTo.externalId, 'replies'),
      form: { message: text },
      purpose: 'send',
    });
    return { externalId: answeredId(answer, 'id') };
  }
}
