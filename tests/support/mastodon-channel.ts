import { ConversationEntity } from '@toonbank/database';
import type { MastodonPeer } from '@toonbank/channels/testing';
import type { DataSource } from 'typeorm';
import { bearer, type TestApp } from './test-app';

/** Connects a Mastodon channel on `peer` through the API as this admin; answers its id. */
export async function connectMastodon(
  app: TestApp,
  admin: string,
  peer: MastodonPeer,
  accessToken: string,
  options: { name?: string; pollIntervalSeconds?: number } = {},
): Promise<string> {
  const response = await app
    .http()
    .post('/api/channels')
    .set(bearer(admin))
    .send({
      provider: 'mastodon',
      name: options.name ?? 'M',
      ...(options.pollIntervalSeconds ? { pollIntervalSeconds: options.pollIntervalSeconds } : {}),
      config: { instanceUrl: peer.url, accessToken },
    });
  if (response.status !== 201)
    throw new Error(`connect: ${response.status} ${JSON.stringify(response.body)}`);
  return (response.body as { id: string }).id;
}

/** "Poll now" on the channel, then the one conversation the poll made. */
export async function pollToConversation(
  app: TestApp,
  db: DataSource,
  admin: string,
  channelId: string,
): Promise<ConversationEntity> {
  await app.http().post(`/api/channels/${channelId}/poll`).set(bearer(admin)).expect(200);
  return db.getRepository(ConversationEntity).findOneByOrFail({ channelAccountId: channelId });
}

/** A reply in the default tone, written through the API; answers its id. */
export async function writeReply(
  app: TestApp,
  author: string,
  conversationId: string,
): Promise<string> {
  const response = await app
    .http()
    .post(`/api/conversations/${conversationId}/replies`)
    .set(bearer(author))
    .send({ text: 'Dank voor uw bericht. Wij kijken het direct voor u na. ^AB' })
    .expect(201);
  return (response.body as { id: string }).id;
}
