import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryGeneratedColumn,
} from 'typeorm';
import type { QuarantineSource } from '@toonbank/shared';
import { ChannelAccountEntity } from './channel-account.entity';
import { OrganisationEntity } from './organisation.entity';

/**
 * An inbound item that could not be stored (issue 13): kept raw for an admin to retry or
 * discard, while its channel goes on past it. Dropped with the organisation's raw payloads
 * after `raw_retention_days`, and with its author on erasure.
 */
@Entity('quarantined_items')
/** The list of a channel, newest first (keyset paging). */
@Index('ix_quarantined_items_list', ['organisationId', 'channelAccountId', 'receivedAt', 'id'])
/** The retention job: an organisation's items received before the cut-off. */
@Index(['organisationId', 'receivedAt'])
/** Quarantined once: a poll or delivery that comes again finds it there. */
@Index('ix_quarantined_items_external', ['channelAccountId', 'externalId'], {
  unique: true,
  where: 'external_id IS NOT NULL',
})
@ForeignKey(
  () => ChannelAccountEntity,
  ['organisationId', 'channelAccountId'],
  ['organisationId', 'id'],
)
@Check('ck_quarantined_items_source', "source IN ('poll', 'webhook')")
export class QuarantinedItemEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  @ForeignKey(() => OrganisationEntity)
  organisationId!: string;

  @Column('uuid')
  channelAccountId!: string;

  @Column('text')
  source!: QuarantineSource;

  /** The channel's id of the post, when it could be read. */
  @Column('text', { nullable: true })
  externalId!: string | null;

  /** The customer's id on the channel, when it could be read (erasure finds them by it). */
  @Column('text', { nullable: true })
  authorExternalId!: string | null;

  @Column('text', { nullable: true })
  authorHandle!: string | null;

  /** Why it could not be stored when it came in. */
  @Column('text')
  reason!: string;

  /** Why the latest retry failed (null before the first retry). */
  @Column('text', { nullable: true })
  lastError!: string | null;

  /**
   * The channel's payload as JSON text, not jsonb: a payload PostgreSQL's JSON cannot hold (too
   * deep) is kept too. At most QUARANTINE_RAW_MAX_BYTES, then cut off (`rawTruncated`).
   */
  @Column('text')
  raw!: string;

  @Column('boolean', { default: false })
  rawTruncated!: boolean;

  /** The item as the connector read it, without its raw payload (what a retry stores). */
  @Column('jsonb', { nullable: true })
  item!: Record<string, unknown> | null;

  /** Tries to store it: 1 when it came in, one more per failed retry. */
  @Column('integer', { default: 1 })
  attempts!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  receivedAt!: Date;
}
