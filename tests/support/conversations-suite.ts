// The shared world of the conversations suites (tests/integration/conversations-*.spec.ts):
// the app and database of useTestApp, an organisation with one signed-in user of each role
// and a Mastodon channel, and the requests, reads and waits those suites repeat.
import {
  AuditLogEntity,
  ConversationEntity,
  OrganisationEntity,
  UserEntity,
  type ChannelAccountEntity,
} from '@toonbank/database';
import type { ConversationDto, MaturityLevel } from '@toonbank/shared';
import {
  newChannelAccount,
  newConversation,
  newStaffedOrganisation,
  newUser,
  type NewUserOptions,
} from './factories';
import { EVENT_TIMEOUT_MS, sleep, type InboxClient } from './socket-client';
import { useTestApp } from './suite';
import { bearer, signIn } from './test-app';

type Staffed = Awaited<ReturnType<typeof newStaffedOrganisation>>;
export interface World extends Staffed {
  channel: ChannelAccountEntity;
  tokens: {
    admin: string;
    lead: string;
    agent: string;
    comms: string;
    trained: string;
    untrained: string;
  };
}

export const LIST = '/api/conversations';

/** Call at the top of a describe block: registers the suite's set-up and returns its helpers. */
export function conversationsSuite() {
  // No worker runs, so the routing jobs the API enqueues are never executed and every state
  // stays as the API left it.
  const suite = useTestApp({ sockets: 'per-test' });

  /** A new organisation with one user of each role, signed in, and a Mastodon channel. */
  const setup = async (overrides: Partial<OrganisationEntity> = {}): Promise<World> => {
    const staffed = await newStaffedOrganisation(suite.db, overrides);
    const channel = await newChannelAccount(suite.db, staffed.organisation);
    const [admin, lead, agent, comms, trained, untrained] = await Promise.all(
      [
        staffed.admin,
        staffed.teamLead,
        staffed.agent,
        staffed.communications,
        staffed.employeeTrained,
        staffed.employeeUntrained,
      ].map((user) => signIn(suite.app, user)),
    );
    return { ...staffed, channel, tokens: { admin, lead, agent, comms, trained, untrained } };
  };

  const conversation = (world: World, overrides: Partial<ConversationEntity> = {}) =>
    newConversation(suite.db, world.organisation, world.channel, overrides);
  const heldBy = (world: World, user: UserEntity, overrides: Partial<ConversationEntity> = {}) =>
    conversation(world, {
      status: 'assigned',
      assigneeId: user.id,
      assignedAt: new Date(),
      ...overrides,
    });
  const anotherUser = async (world: World, options: NewUserOptions = {}) => {
    const user = await newUser(suite.db, world.organisation, options);
    return { user, token: await signIn(suite.app, user) };
  };

  const get = (token: string, path: string, query: Record<string, string | number> = {}) =>
    suite.app.http().get(path).set(bearer(token)).query(query);
  const post = (token: string, path: string, body?: object) => {
    const request = suite.app.http().post(path).set(bearer(token));
    return body === undefined ? request : request.send(body);
  };
  const act = (token: string, id: string, action: string, body?: object) =>
    post(token, `${LIST}/${id}/${action}`, body);

  const response200 = async (request: ReturnType<typeof post>) =>
    (await request.expect(200)).body as ConversationDto;

  const idsOf = (body: { items: ConversationDto[] }) => body.items.map((item) => item.id);
  const listIds = async (token: string, query: Record<string, string | number> = {}) =>
    idsOf((await get(token, LIST, query).expect(200)).body);

  const stored = (id: string) => suite.db.getRepository(ConversationEntity).findOneByOrFail({ id });
  const storedUser = (id: string) => suite.db.getRepository(UserEntity).findOneByOrFail({ id });
  const auditOf = (subjectId: string) =>
    suite.db
      .getRepository(AuditLogEntity)
      .find({ where: { subjectId }, order: { at: 'ASC', id: 'ASC' } });
  const actionsOf = async (subjectId: string) => (await auditOf(subjectId)).map((e) => e.action);
  const setLevel = (world: World, level: MaturityLevel) =>
    suite.db
      .getRepository(OrganisationEntity)
      .update({ id: world.organisation.id }, { maturityLevel: level });

  /** Every page of a listing, checking that each page but the last is full. */
  const pageThrough = async (
    token: string,
    query: Record<string, string | number>,
    limit: number,
  ): Promise<{ ids: string[]; pages: number }> => {
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response = await get(token, LIST, {
        ...query,
        limit,
        ...(cursor ? { cursor } : {}),
      }).expect(200);
      const body = response.body as { items: ConversationDto[]; nextCursor: string | null };
      pages += 1;
      ids.push(...idsOf(body));
      cursor = body.nextCursor;
      if (cursor) expect(body.items).toHaveLength(limit);
      if (pages > 50) throw new Error('paging does not end');
    } while (cursor);
    return { ids, pages };
  };

  /** Waits until the client has received at least `count` conversation.updated events. */
  const updatesOf = async (client: InboxClient, count: number): Promise<ConversationDto[]> => {
    const deadline = Date.now() + EVENT_TIMEOUT_MS;
    while (client.payloadsOf('conversation.updated').length < count) {
      if (Date.now() > deadline) {
        throw new Error(
          `expected ${count} conversation.updated, received ${JSON.stringify(client.received)}`,
        );
      }
      await sleep(20);
    }
    return client.payloadsOf('conversation.updated') as ConversationDto[];
  };

  return {
    suite,
    setup,
    conversation,
    heldBy,
    anotherUser,
    get,
    post,
    act,
    response200,
    idsOf,
    listIds,
    stored,
    storedUser,
    auditOf,
    actionsOf,
    setLevel,
    pageThrough,
    updatesOf,
  };
}
