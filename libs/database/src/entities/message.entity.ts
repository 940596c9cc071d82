import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import type { MessageDirection } from '@toonbank/shared';
import { ChannelAccountEntity } from './channel-account.entity';
import { ConversationEntity } from './conversation.entity';
import { OrganisationEntity } from './organisation.entity';
import { ReplyEntity } from './reply.entity';
import { UserEntity } from './user.entity';

export interface MessageAttachment {
  type: string;
  url: string;
}

@Entity('messages')
@Unique(['organisationId', 'id'])
/** Stored once per channel account and external id, whatever retries or redeliveries happen. */
@Unique(['channelAccountId', 'externalId'])
@Index(['conversationId', 'createdAt', 'id'])
/** The reports' volume: inbound messages of an organisation in a time window. */
@Index(['organisationId', 'direction', 'createdAt'])
/**
 * The retention job's batches: (organisation_id, stored_at) WHERE raw IS NOT NULL. Partial, so
 * it holds only the payloads still kept: created by the migration, left alone here.
 */
@Index('ix_messages_raw_retention', { synchronize: false })
@ForeignKey(
  () => ConversationEntity,
  ['organisationId', 'conversationId'],
  ['organisationId', 'id'],
)
@ForeignKey(
  () => ChannelAccountEntity,
  ['organisationId', 'channelAccountId'],
  ['organisationId', 'id'],
)
@ForeignKey(() => UserEntity, ['organisationId', 'authorUserId'], ['organisationId', 'id'])
@ForeignKey(() => ReplyEntity, ['organisationId', 'replyId'], ['organisationId', 'id'])
@Check('ck_messages_direction', "direction IN ('inbound', 'outbound', 'note')")
@Check('ck_messages_inbound_external_id', "direction <> 'inbound' OR external_id IS NOT NULL")
export class MessageEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  @ForeignKey(() => OrganisationEntity)
  organisationId!: string;

  @Column('uuid')
  conversationId!: string;

  @Column('uuid')
  channelAccountId!: string;

  @Column('text')
  direction!: MessageDirection;

  /** The channel's id of the post (Mastodon status id, Bluesky uri, tweet id, Meta comment id or mid). */
  @Column('text', { nullable: true })
  externalId!: string | null;

  /**
   * The post's public URL on its channel, built by the connector when it was stored (null for a
   * direct message, a note, or where the channel gives none); erased with the customer.
   */
  @Column('text', { nullable: true })
  externalUrl!: string | null;

  @Column('text', { nullable: true })
  inReplyToExternalId!: string | null;

  @Column('text', { nullable: true })
  authorExternalId!: string | null;

  @Column('text', { nullable: true })
  authorHandle!: string | null;

  @Column('text', { nullable: true })
  authorName!: string | null;

  /** Set on outbound messages and notes: the colleague who wrote it. */
  @Column('uuid', { nullable: true })
  authorUserId!: string | null;

  @Column('text')
  text!: string;

  @Column('jsonb', { default: () => "'[]'" })
  attachments!: MessageAttachment[];

  @Column('text', { nullable: true })
  visibility!: string | null;

  @Column('text', { nullable: true })
  language!: string | null;

  /** The channel's payload as received; dropped after the retention period or on erasure. */
  @Column('jsonb', { nullable: true })
  raw!: Record<string, unknown> | null;

  @Column('uuid', { nullable: true })
  replyId!: string | null;

  /** When the channel says it was written. */
  @Column('timestamptz')
  createdAt!: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  storedAt!: Date;
}
