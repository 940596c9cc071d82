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
import type { ReplyFailure, ReplyStatus } from '@toonbank/shared';
import { ConversationEntity } from './conversation.entity';
import { MessageEntity } from './message.entity';
import { OrganisationEntity } from './organisation.entity';
import { TemplateEntity } from './template.entity';
import { UserEntity } from './user.entity';

export interface StoredToneFinding {
  ruleId: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  start: number;
  end: number;
  suggestion?: string;
}

@Entity('replies')
@Unique(['organisationId', 'id'])
@Index(['organisationId', 'status', 'createdAt', 'id'])
@Index(['conversationId', 'createdAt'])
@ForeignKey(
  () => ConversationEntity,
  ['organisationId', 'conversationId'],
  ['organisationId', 'id'],
)
@ForeignKey(() => UserEntity, ['organisationId', 'authorId'], ['organisationId', 'id'])
@ForeignKey(() => UserEntity, ['organisationId', 'approvedBy'], ['organisationId', 'id'])
@ForeignKey(() => UserEntity, ['organisationId', 'rejectedBy'], ['organisationId', 'id'])
@ForeignKey(() => TemplateEntity, ['organisationId', 'templateId'], ['organisationId', 'id'])
@ForeignKey(() => MessageEntity, ['organisationId', 'inReplyToMessageId'], ['organisationId', 'id'])
// Partial (WHERE status = 'queued'): created by the migration, left alone here.
@Index('ix_replies_outbound_sweep', { synchronize: false })
@Check(
  'ck_replies_status',
  "status IN ('pending_approval', 'rejected', 'withdrawn', 'queued', 'sent', 'failed')",
)
/** A failed reply says whether it may have reached the channel; any other has no failure. */
@Check(
  'ck_replies_failure',
  "(status = 'failed' AND failure IN ('not_sent', 'maybe_sent')) OR (status <> 'failed' AND failure IS NULL)",
)
export class ReplyEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  @ForeignKey(() => OrganisationEntity)
  organisationId!: string;

  @Column('uuid')
  conversationId!: string;

  @Column('uuid')
  authorId!: string;

  @Column('text')
  text!: string;

  @Column('uuid', { nullable: true })
  templateId!: string | null;

  @Column('jsonb', { nullable: true })
  variables!: Record<string, string> | null;

  @Column('boolean', { default: false })
  private!: boolean;

  @Column('text')
  status!: ReplyStatus;

  @Column('jsonb', { default: () => "'[]'" })
  toneFindings!: StoredToneFinding[];

  /** Why a team lead or admin sent it despite tone errors. */
  @Column('text', { nullable: true })
  overrideReason!: string | null;

  /** The key the channel sees on every attempt (Idempotency-Key, Bluesky rkey), fixed before the first. */
  @Column('text', { nullable: true })
  channelIdempotencyKey!: string | null;

  /** The customer's message this reply answers (the latest inbound one when it was written). */
  @Column('uuid', { nullable: true })
  inReplyToMessageId!: string | null;

  /**
   * When an attempt that may reach the channel began; cleared when it is known not to have
   * arrived. Set on a channel without idempotency, a second attempt is never made blindly.
   */
  @Column('timestamptz', { nullable: true })
  sendStartedAt!: Date | null;

  @Column('integer', { default: 0 })
  attempts!: number;

  /**
   * Some attempt may have reached the channel: set (and committed) before each attempt, put
   * back only when the channel proved that attempt did not arrive. What `failure` is made of.
   */
  @Column('boolean', { default: false })
  mayHaveArrived!: boolean;

  /** Retries a team lead or admin asked for (POST /api/replies/:id/retry): each has its own job. */
  @Column('integer', { default: 0 })
  retryCount!: number;

  @Column('text', { nullable: true })
  externalId!: string | null;

  /** The post's public URL, built by the connector when it was sent (null for a direct message). */
  @Column('text', { nullable: true })
  externalUrl!: string | null;

  @Column('text', { nullable: true })
  error!: string | null;

  /** Failed: `not_sent` (proved never to have reached the channel) or `maybe_sent`; else null. */
  @Column('text', { nullable: true })
  failure!: ReplyFailure | null;

  @Column('uuid', { nullable: true })
  approvedBy!: string | null;

  @Column('timestamptz', { nullable: true })
  approvedAt!: Date | null;

  @Column('uuid', { nullable: true })
  rejectedBy!: string | null;

  @Column('text', { nullable: true })
  rejectionComment!: string | null;

  @Column('timestamptz', { nullable: true })
  sentAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
