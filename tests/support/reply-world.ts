import type { DataSource } from 'typeorm';
import { newStaffedOrganisation } from './factories';
import { bearer, signIn, type TestApp } from './test-app';

/** An organisation at maturity 2 with manual routing, and its admin and team lead signed in. */
export async function replyWorld(app: TestApp, db: DataSource) {
  const staffed = await newStaffedOrganisation(db, { maturityLevel: 2, routingStrategy: 'manual' });
  return {
    ...staffed,
    admin: await signIn(app, staffed.admin),
    lead: await signIn(app, staffed.teamLead),
  };
}
export type ReplyWorld = Awaited<ReturnType<typeof replyWorld>>;

/** Connects a channel through the API as the world's admin (anything but 201 throws). */
export async function connectChannel(
  app: TestApp,
  w: ReplyWorld,
  provider: string,
  config: Record<string, unknown>,
): Promise<{ id: string }> {
  const response = await app
    .http()
    .post('/api/channels')
    .set(bearer(w.admin))
    .send({ provider, name: provider, config });
  if (response.status !== 201)
    throw new Error(`${provider}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { id: string };
}
