import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  ChannelAccountEntity,
  ConversationEntity,
  MessageEntity,
  OrganisationEntity,
  UserEntity,
} from '@toonbank/database';
import type { ChannelProvider, ConversationStatus } from '@toonbank/shared';
import { Brackets, DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import {
  PRESENTED_CONVERSATION_FIELDS,
  type ConversationListView,
  type ConversationView,
} from './conversation.presenter';

export type ConversationSort = 'activity' | 'sla';

export interface ConversationFilters {
  statuses?: ConversationStatus[];
  /** A user id, or null for "nobody". */
  assigneeId?: string | null;
  channelId?: string;
  customer?: string;
  label?: string;
  q?: string;
}

/**
 * Where a page ended, in the sort's own terms. Times travel as PostgreSQL's own text so that
 * microseconds survive the round trip (a JavaScript Date keeps milliseconds only).
 */
export type ConversationPosition =
  | { sort: 'activity'; at: string; id: string }
  | { sort: 'sla'; breached: number; due: string; id: string };

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Queries on conversations and their messages; the organisation id is always required. */
@Injectable()
export class ConversationsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** `fields`: only these of each conversation (the rest of the entity stays unset). */
  private views(
    manager?: EntityManager,
    fields?: readonly (keyof ConversationEntity)[],
  ): SelectQueryBuilder<ConversationEntity> {
    const query = (manager ?? this.db.manager)
      .createQueryBuilder(ConversationEntity, 'c')
      .innerJoin(ChannelAccountEntity, 'ch', 'ch.id = c.channel_account_id')
      .innerJoin(OrganisationEntity, 'o', 'o.id = c.organisation_id');
    if (fields) query.select(fields.map((field) => `c.${field}`));
    return query.addSelect([
      'ch.provider AS view_provider',
      'ch.handle AS view_handle',
      'o.slug AS view_slug',
    ]);
  }

  private static toViews(result: {
    entities: ConversationEntity[];
    raw: Record<string, unknown>[];
  }): ConversationView[] {
    return result.entities.map((conversation, index) => ({
      conversation,
      provider: result.raw[index]?.view_provider as ChannelProvider,
      organisationSlug: result.raw[index]?.view_slug as string,
      accountHandle: (result.raw[index]?.view_handle as string | null) ?? null,
    }));
  }

  async findView(
    organisationId: string,
    id: string,
    manager?: EntityManager,
  ): Promise<ConversationView | null> {
    const result = await this.views(manager)
      .where('c.organisation_id = :organisationId AND c.id = :id', { organisationId, id })
      .getRawAndEntities();
    return ConversationsRepository.toViews(result)[0] ?? null;
  }

  find(
    organisationId: string,
    id: string,
    manager?: EntityManager,
  ): Promise<ConversationEntity | null> {
    return (manager ?? this.db.manager).findOneBy(ConversationEntity, { organisationId, id });
  }

  async findViews(
    organisationId: string,
    ids: string[],
    manager?: EntityManager,
  ): Promise<ConversationView[]> {
    if (ids.length === 0) return [];
    const result = await this.views(manager)
      .where('c.organisation_id = :organisationId AND c.id IN (:...ids)', { organisationId, ids })
      .getRawAndEntities();
    return ConversationsRepository.toViews(result);
  }

  /**
   * The organisation as it is now, share-locked for the rest of the transaction: a maturity
   * or policy change (which locks it FOR NO KEY UPDATE) waits for an assignment in flight, and
   * an assignment starting during such a change waits for it and then judges by the new
   * policy. Always taken first (README, "Lock order").
   */
  async lockOrganisation(
    manager: EntityManager,
    organisationId: string,
  ): Promise<OrganisationEntity> {
    const organisation = await manager
      .createQueryBuilder(OrganisationEntity, 'o')
      .setLock('pessimistic_read')
      .where('o.id = :organisationId', { organisationId })
      .getOne();
    if (!organisation) throw new Error(`organisation ${organisationId} not found`);
    return organisation;
  }

  /** A person of the organisation, locked, as they are now (to judge their eligibility). */
  lockUser(
    manager: EntityManager,
    organisationId: string,
    userId: string,
  ): Promise<UserEntity | null> {
    return manager
      .createQueryBuilder(UserEntity, 'u')
      .setLock('for_no_key_update')
      .where('u.organisation_id = :organisationId AND u.id = :userId', { organisationId, userId })
      .getOne();
  }

  /** Locks the conversation for the rest of the transaction (every state change goes through here). */
  lock(
    manager: EntityManager,
    organisationId: string,
    id: string,
  ): Promise<ConversationEntity | null> {
    return manager
      .createQueryBuilder(ConversationEntity, 'c')
      .setLock('for_no_key_update')
      .where('c.organisation_id = :organisationId AND c.id = :id', { organisationId, id })
      .getOne();
  }

  async page(
    organisationId: string,
    filters: ConversationFilters,
    sort: ConversationSort,
    limit: number,
    after?: ConversationPosition,
  ): Promise<{ views: ConversationListView[]; positions: ConversationPosition[] }> {
    // The presented columns only: parsing and hydrating all of them was most of a page's time.
    const query = this.views(undefined, PRESENTED_CONVERSATION_FIELDS).where(
      'c.organisation_id = :organisationId',
      { organisationId },
    );
    if (filters.statuses?.length)
      query.andWhere('c.status IN (:...statuses)', { statuses: filters.statuses });
    if (filters.assigneeId === null) query.andWhere('c.assignee_id IS NULL');
    else if (filters.assigneeId)
      query.andWhere('c.assignee_id = :assigneeId', { assigneeId: filters.assigneeId });
    if (filters.channelId)
      query.andWhere('c.channel_account_id = :channelId', { channelId: filters.channelId });
    if (filters.customer) {
      query.andWhere('lower(c.customer_handle) = lower(:customer)', { customer: filters.customer });
    }
    if (filters.label) query.andWhere(':label = ANY(c.labels)', { label: filters.label });
    if (filters.q) {
      const pattern = `%${escapeLike(filters.q)}%`;
      query.andWhere(
        new Brackets((q) =>
          q
            .where('c.preview ILIKE :pattern', { pattern })
            .orWhere('c.customer_handle ILIKE :pattern', { pattern })
            .orWhere('c.customer_name ILIKE :pattern', { pattern }),
        ),
      );
    }

    if (sort === 'activity') {
      query
        .addSelect('c.last_message_at::text', 'position_at')
        .orderBy('c.last_message_at', 'DESC')
        .addOrderBy('c.id', 'DESC');
      if (after?.sort === 'activity') {
        query.andWhere(
          '(c.last_message_at, c.id) < (CAST(:at AS timestamptz), CAST(:id AS uuid))',
          after,
        );
      }
    } else {
      // Breached first, then the earliest due; conversations without a due time last.
      const breached = 'CASE WHEN c.sla_breached THEN 0 ELSE 1 END';
      const due = "COALESCE(c.sla_due_at, 'infinity'::timestamptz)";
      query
        .addSelect(breached, 'position_breached')
        .addSelect(`${due}::text`, 'position_due')
        .orderBy(breached, 'ASC')
        .addOrderBy(due, 'ASC')
        .addOrderBy('c.id', 'ASC');
      if (after?.sort === 'sla') {
        query.andWhere(
          `(${breached}, ${due}, c.id) > (CAST(:breached AS int), CAST(:due AS timestamptz), CAST(:id AS uuid))`,
          after,
        );
      }
    }
    const result = await query.limit(limit).getRawAndEntities();
    const positions = result.entities.map((conversation, index): ConversationPosition => {
      const raw = result.raw[index] as Record<string, string | number>;
      return sort === 'activity'
        ? { sort, at: String(raw.position_at), id: conversation.id }
        : {
            sort,
            breached: Number(raw.position_breached),
            due: String(raw.position_due),
            id: conversation.id,
          };
    });
    return { views: ConversationsRepository.toViews(result), positions };
  }

  messages(organisationId: string, conversationId: string): Promise<MessageEntity[]> {
    return this.db.manager.find(MessageEntity, {
      where: { organisationId, conversationId },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }
}
