import { randomUUID } from 'node:crypto';
import {
  ChannelAccountEntity,
  ConversationEntity,
  MessageEntity,
  OrganisationEntity,
  QuarantinedItemEntity,
  ReplyEntity,
  SessionEntity,
  takeConversationNumbers,
  TemplateEntity,
  ToneProfileEntity,
  UserEntity,
} from '@toonbank/database';
import type { MaturityLevel, Role } from '@toonbank/shared';
import { initialsOf, PasswordHasher } from '@toonbank/users';
import type { DataSource } from 'typeorm';

export const TEST_PASSWORD = 'correct-horse-battery';

let passwordHash: Promise<string> | undefined;
/** Hashing is slow on purpose: one hash of the test password per suite. */
const testPasswordHash = () => (passwordHash ??= new PasswordHasher().hash(TEST_PASSWORD));

const unique = () => randomUUID().slice(0, 8);

export async function newOrganisation(
  db: DataSource,
  overrides: Partial<OrganisationEntity> = {},
): Promise<OrganisationEntity> {
  const slug = overrides.slug ?? `org-${unique()}`;
  const organisation = await db.getRepository(OrganisationEntity).save(
    db.getRepository(OrganisationEntity).create({
      name: `Organisation ${slug}`,
      slug,
      maturityLevel: 1 as MaturityLevel,
      ...overrides,
    }),
  );
  await db.getRepository(ToneProfileEntity).insert({ organisationId: organisation.id });
  return organisation;
}

export interface NewUserOptions extends Partial<Omit<UserEntity, 'role'>> {
  role?: Role;
  /** Employees: trained 30 days ago. */
  trained?: boolean;
}

export async function newUser(
  db: DataSource,
  organisation: OrganisationEntity,
  { trained, ...overrides }: NewUserOptions = {},
): Promise<UserEntity> {
  const role = overrides.role ?? 'agent';
  const name = overrides.name ?? `${role} ${unique()}`;
  const repository = db.getRepository(UserEntity);
  const user = repository.create({
    organisationId: organisation.id,
    email: `${role}-${unique()}@${organisation.slug}.test`,
    name,
    initials: initialsOf(name) || 'XX',
    role,
    trainedAt: trained ? new Date(Date.now() - 30 * 24 * 3600 * 1000) : null,
    passwordHash: await testPasswordHash(),
    ...overrides,
  });
  await repository.insert(user);
  return repository.findOneByOrFail({ id: user.id });
}

/** An organisation with one user of each kind (the roles of SPEC.md §1). */
export async function newStaffedOrganisation(
  db: DataSource,
  overrides: Partial<OrganisationEntity> = {},
) {
  const organisation = await newOrganisation(db, overrides);
  const [admin, teamLead, agent, communications, employeeTrained, employeeUntrained] =
    await Promise.all([
      newUser(db, organisation, { role: 'admin' }),
      newUser(db, organisation, { role: 'team_lead' }),
      newUser(db, organisation, { role: 'agent' }),
      newUser(db, organisation, { role: 'communications' }),
      newUser(db, organisation, { role: 'employee', trained: true }),
      newUser(db, organisation, { role: 'employee' }),
    ]);
  return {
    organisation,
    admin,
    teamLead,
    agent,
    communications,
    employeeTrained,
    employeeUntrained,
  };
}

export async function newChannelAccount(
  db: DataSource,
  organisation: OrganisationEntity,
  overrides: Partial<ChannelAccountEntity> = {},
): Promise<ChannelAccountEntity> {
  const repository = db.getRepository(ChannelAccountEntity);
  return repository.save(
    repository.create({
      organisationId: organisation.id,
      provider: 'mastodon',
      name: `Mastodon ${unique()}`,
      handle: `@webcare-${unique()}@social.example`,
      config: { instanceUrl: 'https://social.example' },
      ...overrides,
    }),
  );
}

/** An item the ingest could not store, in its channel's quarantine (by default one a retry cannot store either). */
export async function newQuarantinedItem(
  db: DataSource,
  channel: ChannelAccountEntity,
  overrides: Partial<QuarantinedItemEntity> = {},
): Promise<QuarantinedItemEntity> {
  const repository = db.getRepository(QuarantinedItemEntity);
  return repository.save(
    repository.create({
      organisationId: channel.organisationId,
      channelAccountId: channel.id,
      source: 'poll',
      externalId: `status-${unique()}`,
      authorExternalId: `customer-${unique()}`,
      authorHandle: `@klant-${unique()}`,
      reason: 'the item could not be read: test',
      raw: `{"id":"${unique()}"}`,
      rawTruncated: false,
      item: null,
      ...overrides,
    }),
  );
}

/** A conversation numbered like the app numbers them. */
export async function newConversation(
  db: DataSource,
  organisation: OrganisationEntity,
  channel: ChannelAccountEntity,
  overrides: Partial<ConversationEntity> = {},
): Promise<ConversationEntity> {
  const number = await takeConversationNumbers(db.manager, organisation.id, 1);
  const repository = db.getRepository(ConversationEntity);
  return repository.save(
    repository.create({
      organisationId: organisation.id,
      channelAccountId: channel.id,
      number,
      status: 'unassigned',
      customerExternalId: `customer-${unique()}`,
      customerHandle: `@klant-${unique()}`,
      customerName: 'Klant',
      lastMessageAt: new Date(),
      ...overrides,
    }),
  );
}

export async function newReply(
  db: DataSource,
  conversation: ConversationEntity,
  author: UserEntity,
  overrides: Partial<ReplyEntity> = {},
): Promise<ReplyEntity> {
  const repository = db.getRepository(ReplyEntity);
  return repository.save(
    repository.create({
      organisationId: conversation.organisationId,
      conversationId: conversation.id,
      authorId: author.id,
      text: 'Dank voor uw bericht. ^AB',
      status: 'pending_approval',
      ...overrides,
    }),
  );
}

/** A customer's message on a conversation, as the ingest stores one. */
export async function newInboundMessage(
  db: DataSource,
  conversation: ConversationEntity,
  overrides: Partial<MessageEntity> = {},
): Promise<MessageEntity> {
  const repository = db.getRepository(MessageEntity);
  return repository.save(
    repository.create({
      organisationId: conversation.organisationId,
      conversationId: conversation.id,
      channelAccountId: conversation.channelAccountId,
      direction: 'inbound',
      externalId: `status-${unique()}`,
      authorExternalId: conversation.customerExternalId,
      authorHandle: conversation.customerHandle,
      authorName: conversation.customerName,
      text: 'Mijn stroom is sinds vanochtend uitgevallen.',
      visibility: 'public',
      createdAt: new Date(),
      ...overrides,
    }),
  );
}

/** A conversation with one customer message in it (what a reply answers). */
export async function newAnsweredConversation(
  db: DataSource,
  organisation: OrganisationEntity,
  channel: ChannelAccountEntity,
  overrides: Partial<ConversationEntity> = {},
): Promise<ConversationEntity> {
  const conversation = await newConversation(db, organisation, channel, overrides);
  await newInboundMessage(db, conversation);
  return conversation;
}

/** A template that passes the default tone profile on every channel. */
export async function newTemplate(
  db: DataSource,
  organisation: OrganisationEntity,
  overrides: Partial<TemplateEntity> = {},
): Promise<TemplateEntity> {
  const repository = db.getRepository(TemplateEntity);
  return repository.save(
    repository.create({
      organisationId: organisation.id,
      name: `Storing ${unique()}`,
      body: 'Dank voor uw bericht. We kijken er direct naar. ^{{agent.initials}}',
      providers: [],
      language: null,
      createdBy: null,
      deletedAt: null,
      ...overrides,
    }),
  );
}

/** A session row as a login leaves it (a day long); its id goes into the access token's `sid`. */
export async function newSession(
  db: DataSource,
  user: { id: string; organisationId: string },
  userAgent = 'jest',
): Promise<string> {
  const sessions = db.getRepository(SessionEntity);
  const session = await sessions.save(
    sessions.create({
      organisationId: user.organisationId,
      userId: user.id,
      expiresAt: new Date(Date.now() + 24 * 3600 * 1000),
      revokedAt: null,
      revokedReason: null,
      userAgent,
      ipAddress: '127.0.0.1',
    }),
  );
  return session.id;
}
