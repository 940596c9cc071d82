import type { ChannelAccountEntity, ConversationEntity, UserEntity } from '@toonbank/database';
import type { MaturityLevel } from '@toonbank/shared';
import type { DataSource } from 'typeorm';
import {
  newChannelAccount,
  newConversation,
  newReply,
  newStaffedOrganisation,
  newTemplate,
} from './factories';

/**
 * What the permission-matrix suites share: the kinds of caller (SPEC.md §1), who may respond
 * at which level (SPEC.md §2, the default matrix), the expectations the contract derives from
 * them (API.md), and two staffed organisations to call across.
 */

export type Kind =
  'admin' | 'team_lead' | 'agent' | 'communications' | 'employee_trained' | 'employee_untrained';
export const KINDS: Kind[] = [
  'admin',
  'team_lead',
  'agent',
  'communications',
  'employee_trained',
  'employee_untrained',
];
export const LEVELS: MaturityLevel[] = [1, 2, 3];
export const LEAD: Kind[] = ['admin', 'team_lead'];

export type Scope = 'own' | 'other';
export type Expected = [status: number, code?: string];

type Staffed = Awaited<ReturnType<typeof newStaffedOrganisation>>;
export type MatrixOrganisation = Staffed & { channel: ChannelAccountEntity };

export interface World {
  db: DataSource;
  own: MatrixOrganisation;
  other: MatrixOrganisation;
}

export interface Cell {
  kind: Kind;
  level: MaturityLevel;
  scope: Scope;
  caller: UserEntity;
}

/** An organisation with one user of each kind and a Mastodon channel. */
export async function newMatrixOrganisation(db: DataSource): Promise<MatrixOrganisation> {
  const organisation = await newStaffedOrganisation(db);
  return { ...organisation, channel: await newChannelAccount(db, organisation.organisation) };
}

export async function newWorld(db: DataSource): Promise<World> {
  return { db, own: await newMatrixOrganisation(db), other: await newMatrixOrganisation(db) };
}

/** The organisation's user of this kind. */
export const memberOf = (organisation: Staffed, kind: Kind): UserEntity =>
  ({
    admin: organisation.admin,
    team_lead: organisation.teamLead,
    agent: organisation.agent,
    communications: organisation.communications,
    employee_trained: organisation.employeeTrained,
    employee_untrained: organisation.employeeUntrained,
  })[kind];

/** SPEC.md §2, the default matrix: who may respond from which level. */
const ELIGIBLE_FROM: Record<Kind, MaturityLevel | null> = {
  admin: 1,
  team_lead: 1,
  agent: 1,
  communications: 2,
  employee_trained: 3,
  employee_untrained: null,
};
export const eligibleAt = (kind: Kind, level: MaturityLevel): boolean =>
  ELIGIBLE_FROM[kind] !== null && level >= ELIGIBLE_FROM[kind]!;
export const eligible = (cell: Pick<Cell, 'kind' | 'level'>) => eligibleAt(cell.kind, cell.level);
/** API.md §Conversations: team leads and admins always read the inbox, others while eligible. */
export const readsInbox = (cell: Pick<Cell, 'kind' | 'level'>) =>
  LEAD.includes(cell.kind) || eligible(cell);

export const everyone = (ok: number) => (): Expected => [ok];

export const only =
  (kinds: Kind[], ok: number) =>
  (cell: Pick<Cell, 'kind'>): Expected =>
    kinds.includes(cell.kind) ? [ok] : [403, 'policy.forbidden'];

/** Reading and acting on conversations: team leads and admins always, others while eligible. */
export const whileEligible =
  (ok: Expected) =>
  (cell: Pick<Cell, 'kind' | 'level'>): Expected =>
    readsInbox(cell) ? ok : [403, 'policy.not_eligible'];

/** Claiming and replying need eligibility whatever the role. */
export const ifEligible =
  (ok: Expected) =>
  (cell: Pick<Cell, 'kind' | 'level'>): Expected =>
    eligible(cell) ? ok : [403, 'policy.not_eligible'];

/** The route is allowed: the record of another organisation is 404, as if it did not exist. */
const byScope =
  (ok: number) =>
  (cell: Pick<Cell, 'scope'>): Expected =>
    cell.scope === 'own' ? [ok] : [404, 'not_found'];

export const whileEligibleById = (ok: number) => (cell: Cell) =>
  readsInbox(cell) ? byScope(ok)(cell) : ([403, 'policy.not_eligible'] as Expected);
export const eligibleById = (ok: number) => (cell: Cell) =>
  eligible(cell) ? byScope(ok)(cell) : ([403, 'policy.not_eligible'] as Expected);
export const leadById = (ok: number) => (cell: Cell) =>
  LEAD.includes(cell.kind) ? byScope(ok)(cell) : ([403, 'policy.forbidden'] as Expected);
export const onlyAdminById = (ok: number) => (cell: Cell) =>
  cell.kind === 'admin' ? byScope(ok)(cell) : ([403, 'policy.forbidden'] as Expected);

/** A conversation of the cell's organisation, held by the caller (or by an agent when the caller may not hold one). */
export async function conversationFor(
  world: World,
  cell: Cell,
  overrides: Partial<ConversationEntity> = {},
) {
  const org = cell.scope === 'own' ? world.own : world.other;
  const holder = cell.scope === 'own' && eligible(cell) ? cell.caller : org.agent;
  return newConversation(world.db, org.organisation, org.channel, {
    status: 'assigned',
    assigneeId: holder.id,
    ...overrides,
  });
}

/** A reply of the cell's organisation by its agent, waiting for approval. */
export async function pendingReplyFor(world: World, cell: Cell) {
  const org = cell.scope === 'own' ? world.own : world.other;
  const conversation = await newConversation(world.db, org.organisation, org.channel, {
    status: 'assigned',
    assigneeId: org.agent.id,
  });
  return newReply(world.db, conversation, org.agent);
}

/**
 * A reply of the cell's organisation that failed without reaching the channel (retryable): the
 * agent's, from a template, so that the retry's judgement of its author passes at every level.
 */
export async function failedReplyFor(world: World, cell: Cell) {
  const org = cell.scope === 'own' ? world.own : world.other;
  const conversation = await newConversation(world.db, org.organisation, org.channel, {
    status: 'assigned',
    assigneeId: org.agent.id,
  });
  const template = await newTemplate(world.db, org.organisation);
  return newReply(world.db, conversation, org.agent, {
    templateId: template.id,
    variables: {},
    status: 'failed',
    failure: 'not_sent',
    error: 'the channel refused the post (422)',
  });
}
