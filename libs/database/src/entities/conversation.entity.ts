import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import type { ConversationStatus } from '@toonbank/shared';
import { ChannelAccountEntity } from './channel-account.entity';
import { OrganisationEntity } from './organisation.entity';
import { UserEntity } from './user.entity';

@Entity('conversations')
@Unique(['organisationId', 'id'])
@Unique(['organisationId', 'number'])
// The inbox's keyset order (last_message_at DESC, id DESC) needs DESC columns, which the
// entity metadata cannot express: the index is created by the migration and left alone here.
@Index('ix_conversations_inbox', { synchronize: false })
@Index('ix_conversations_routing_queue', { synchronize: false })
@Index('ix_conversations_hand_back', { synchronize: false })
// The SLA sweep's running timers (partial: the migration has its condition).
@Index('ix_conversations_sla_pending', { synchronize: false })
@Index(['organisationId', 'assigneeId', 'status'])
// The reports' windows (libs/reports): first response, resolution, SLA due time.
@Index(['organisationId', 'createdAt'])
@Index(['organisationId', 'closedAt'])
@Index(['organisationId', 'slaDueAt'])
@Index('ix_conversations_threading', ['channelAccountId', 'customerExternalId', 'lastMessageAt'])
@ForeignKey(
  () => ChannelAccountEntity,
  ['organisationId', 'channelAccountId'],
  ['organisationId', 'id'],
)
@ForeignKey(() => UserEntity, ['organisationId', 'assigneeId'], ['organisationId', 'id'])
@ForeignKey(() => UserEntity, ['organisationId', 'previousAssigneeId'], ['organisationId', 'id'])
@Check('ck_conversations_status', "status IN ('unassigned', 'assigned', 'waiting', 'closed')")
@Check(
  'ck_conversations_assignee',
  "(status <> 'unassigned' OR assignee_id IS NULL) AND (status <> 'assigned' OR assignee_id IS NOT NULL)",
)
export class ConversationEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  @ForeignKey(() => OrganisationEntity)
  organisationId!: string;

  /** Counts per organisation (ConversationNumberEntity); shown as the reference. */
  @Column('integer')
  number!: number;

  @Column('uuid')
  channelAccountId!: string;

  @Column('text', { default: 'unassigned' })
  status!: ConversationStatus;

  @Column('uuid', { nullable: true })
  assigneeId!: string | null;

  /** Who held it before closing or unassigning: reopening goes back to them when possible. */
  @Column('uuid', { nullable: true })
  previousAssigneeId!: string | null;

  @Column('timestamptz', { nullable: true })
  assignedAt!: Date | null;

  /** The customer's id on the channel (account id, DID): threading is by this, not the handle. */
  @Column('text')
  customerExternalId!: string;

  @Column('text')
  customerHandle!: string;

  @Column('text', { nullable: true })
  customerName!: string | null;

  @Column('text', { nullable: true })
  language!: string | null;

  @Column('text', { array: true, default: () => "'{}'" })
  labels!: string[];

  @Column('text', { default: '' })
  preview!: string;

  /** The external id of the first message: the thread's root on the channel. */
  @Column('text', { nullable: true })
  rootExternalId!: string | null;

  @Column('timestamptz')
  lastMessageAt!: Date;

  /** The last time the assignee acted on it (hand-back after inactivity). */
  @Column('timestamptz', { nullable: true })
  lastActivityAt!: Date | null;

  @Column('timestamptz', { nullable: true })
  firstResponseAt!: Date | null;

  @Column('timestamptz', { nullable: true })
  slaDueAt!: Date | null;

  @Column('boolean', { default: false })
  slaBreached!: boolean;

  @Column('timestamptz', { nullable: true })
  closedAt!: Date | null;

  /**
   * When the customer was erased (POST /api/customers/erase): the customer is a pseudonym,
   * the texts are gone, and ingest never threads a new message into it.
   */
  @Column('timestamptz', { nullable: true })
  erasedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
