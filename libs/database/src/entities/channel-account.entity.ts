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
import type { ChannelProvider, ChannelStatus } from '@toonbank/shared';
import { OrganisationEntity } from './organisation.entity';

/** One social identity of the organisation: its credentials, its cursor and its health. */
@Entity('channel_accounts')
@Unique(['organisationId', 'id'])
@Index(['organisationId', 'createdAt'])
@Index('ix_channel_accounts_external_account', ['provider', 'externalAccountId'], {
  unique: true,
  where: 'external_account_id IS NOT NULL AND deleted_at IS NULL',
})
@Check(
  'ck_channel_accounts_provider',
  "provider IN ('mastodon', 'bluesky', 'x', 'facebook', 'instagram')",
)
@Check('ck_channel_accounts_status', "status IN ('active', 'degraded', 'paused')")
@Check('ck_channel_accounts_poll_interval', 'poll_interval_seconds >= 10')
export class ChannelAccountEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  @ForeignKey(() => OrganisationEntity)
  organisationId!: string;

  @Column('text')
  provider!: ChannelProvider;

  @Column('text')
  name!: string;

  @Column('text', { nullable: true })
  handle!: string | null;

  @Column('text', { default: 'active' })
  status!: ChannelStatus;

  /** Non-secret settings (instance URL, page id). */
  @Column('jsonb', { default: () => "'{}'" })
  config!: Record<string, unknown>;

  /** Secrets, AES-256-GCM encrypted; never returned by the API. */
  @Column('text', { nullable: true, select: false })
  credentialsEncrypted!: string | null;

  /** The channel's id of the account (Meta page or Instagram id) that webhooks are routed by. */
  @Column('text', { nullable: true })
  externalAccountId!: string | null;

  /** Where the next poll continues; written only after the messages are committed. */
  @Column('jsonb', { nullable: true })
  cursor!: Record<string, unknown> | null;

  @Column('timestamptz', { nullable: true })
  throttledUntil!: Date | null;

  @Column('text', { nullable: true })
  lastError!: string | null;

  @Column('timestamptz', { nullable: true })
  lastErrorAt!: Date | null;

  @Column('timestamptz', { nullable: true })
  lastPolledAt!: Date | null;

  @Column('integer', { default: 60 })
  pollIntervalSeconds!: number;

  /** Deleting a channel stops its polling and keeps its conversations. */
  @Column('timestamptz', { nullable: true })
  deletedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
