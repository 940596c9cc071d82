import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { MessageEntity, ReplyEntity, type ConversationEntity } from '@toonbank/database';
import type { ReplyStatus } from '@toonbank/shared';
import { DataSource, type EntityManager } from 'typeorm';

/** A page position in PostgreSQL's own time text (microseconds survive the round trip). */
export type ReplyPosition = { at: string; id: string };

/** Queries on replies; the organisation id is always required. */
@Injectable()
export class RepliesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  find(organisationId: string, id: string, manager?: EntityManager): Promise<ReplyEntity | null> {
    return (manager ?? this.db.manager).findOneBy(ReplyEntity, { organisationId, id });
  }

  lock(manager: EntityManager, organisationId: string, id: string): Promise<ReplyEntity | null> {
    return manager
      .createQueryBuilder(ReplyEntity, 'r')
      .setLock('for_no_key_update')
      .where('r.organisation_id = :organisationId AND r.id = :id', { organisationId, id })
      .getOne();
  }

  /** Newest first (the approval queue), optionally of some statuses. */
  async page(
    organisationId: string,
    limit: number,
    options: { statuses?: ReplyStatus[]; after?: ReplyPosition },
  ): Promise<{ rows: ReplyEntity[]; positions: string[] }> {
    const query = this.db.manager
      .createQueryBuilder(ReplyEntity, 'r')
      .addSelect('r.created_at::text', 'position_at')
      .where('r.organisation_id = :organisationId', { organisationId })
      .orderBy('r.created_at', 'DESC')
      .addOrderBy('r.id', 'DESC')
      .limit(limit + 1);
    if (options.statuses?.length) query.andWhere('r.status IN (:...statuses)', options);
    if (options.after) {
      query.andWhere(
        '(r.created_at, r.id) < (CAST(:at AS timestamptz), CAST(:id AS uuid))',
        options.after,
      );
    }
    const { entities, raw } = await query.getRawAndEntities();
    return {
      rows: entities,
      positions: raw.map((row: { position_at: string }) => row.position_at),
    };
  }

  /** A conversation's replies, oldest first (as its messages). */
  async ofConversation(
    organisationId: string,
    conversationId: string,
    limit: number,
    after?: ReplyPosition,
  ): Promise<{ rows: ReplyEntity[]; positions: string[] }> {
    const query = this.db.manager
      .createQueryBuilder(ReplyEntity, 'r')
      .addSelect('r.created_at::text', 'position_at')
      .where('r.organisation_id = :organisationId AND r.conversation_id = :conversationId', {
        organisationId,
        conversationId,
      })
      .orderBy('r.created_at', 'ASC')
      .addOrderBy('r.id', 'ASC')
      .limit(limit + 1);
    if (after) {
      query.andWhere('(r.created_at, r.id) > (CAST(:at AS timestamptz), CAST(:id AS uuid))', after);
    }
    const { entities, raw } = await query.getRawAndEntities();
    return {
      rows: entities,
      positions: raw.map((row: { position_at: string }) => row.position_at),
    };
  }

  /** An inbound message of this conversation (what a reply may name), or null. */
  inboundOf(
    manager: EntityManager,
    organisationId: string,
    conversationId: string,
    messageId: string,
  ): Promise<MessageEntity | null> {
    return manager.findOneBy(MessageEntity, {
      organisationId,
      conversationId,
      id: messageId,
      direction: 'inbound',
    });
  }

  /**
   * The latest message of the conversation's own customer (by their channel id; by handle for a
   * message stored without one), not of another participant of the thread: what a private
   * reply answers.
   */
  latestFromCustomer(
    manager: EntityManager,
    conversation: Pick<
      ConversationEntity,
      'organisationId' | 'id' | 'customerExternalId' | 'customerHandle'
    >,
  ): Promise<MessageEntity | null> {
    return manager
      .createQueryBuilder(MessageEntity, 'm')
      .where(
        "m.organisation_id = :organisationId AND m.conversation_id = :conversationId AND m.direction = 'inbound'",
        { organisationId: conversation.organisationId, conversationId: conversation.id },
      )
      .andWhere(
        '(m.author_external_id = :externalId OR (m.author_external_id IS NULL AND m.author_handle = :handle))',
        { externalId: conversation.customerExternalId, handle: conversation.customerHandle },
      )
      .orderBy('m.created_at', 'DESC')
      .addOrderBy('m.id', 'DESC')
      .limit(1)
      .getOne();
  }
}
