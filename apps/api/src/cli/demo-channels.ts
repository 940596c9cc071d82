import { randomUUID } from 'node:crypto';
import { ChannelAccountEntity, OrganisationEntity } from '@toonbank/database';
import type { ChannelProvider } from '@toonbank/shared';
import type { DataSource } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { DEMO_PEERS, demoPeerUrl } from './demo-peer-addresses';

interface DemoChannel {
  provider: ChannelProvider;
  name: string;
  handle: string;
  config: Record<string, unknown>;
  secrets: Record<string, unknown>;
  externalAccountId: string | null;
}

const DEMO_CHANNELS: DemoChannel[] = [
  {
    provider: 'mastodon',
    name: 'Mastodon (demo)',
    handle: '@demo_energie@social.example',
    config: { instanceUrl: demoPeerUrl(DEMO_PEERS.mastodon.port) },
    secrets: { accessToken: DEMO_PEERS.mastodon.accessToken },
    externalAccountId: null,
  },
  {
    provider: 'bluesky',
    name: 'Bluesky (demo)',
    handle: `@${DEMO_PEERS.bluesky.handle}`,
    config: {
      serviceUrl: demoPeerUrl(DEMO_PEERS.bluesky.port),
      identifier: DEMO_PEERS.bluesky.handle,
    },
    secrets: { appPassword: DEMO_PEERS.bluesky.appPassword },
    externalAccountId: DEMO_PEERS.bluesky.did,
  },
  {
    provider: 'facebook',
    name: 'Facebook (demo)',
    handle: DEMO_PEERS.meta.page.name,
    config: {
      pageId: DEMO_PEERS.meta.page.id,
      graphBaseUrl: `${demoPeerUrl(DEMO_PEERS.meta.port)}/v21.0`,
    },
    secrets: { pageAccessToken: DEMO_PEERS.meta.page.token },
    externalAccountId: DEMO_PEERS.meta.page.id,
  },
];

/**
 * Connects the demo organisation to the local demo peers (idempotent: a channel of that
 * provider and name is left as it is). `seal` encrypts the secrets as the API would, bound to the
 * channel account's id.
 */
export async function seedDemoChannels(
  db: DataSource,
  seal: (secrets: Record<string, unknown>, channelAccountId: string) => string,
): Promise<number> {
  const demo = await db.getRepository(OrganisationEntity).findOneBy({ slug: 'demo' });
  if (!demo) return 0;
  let created = 0;
  for (const channel of DEMO_CHANNELS) {
    const exists = await db
      .getRepository(ChannelAccountEntity)
      .existsBy({ organisationId: demo.id, provider: channel.provider, name: channel.name });
    if (exists) continue;
    const id = randomUUID(); // known before sealing: the sealed secrets are bound to it
    await db.getRepository(ChannelAccountEntity).insert({
      // (jsonb columns: TypeORM's deep-partial typing does not follow Record<string, unknown>)
      id,
      organisationId: demo.id,
      provider: channel.provider,
      name: channel.name,
      handle: channel.handle,
      status: 'active',
      config: channel.config,
      credentialsEncrypted: seal(channel.secrets, id),
      externalAccountId: channel.externalAccountId,
      pollIntervalSeconds: 15,
    } as QueryDeepPartialEntity<ChannelAccountEntity>);
    created += 1;
  }
  return created;
}
