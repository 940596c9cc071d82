import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { QuarantinedItemEntity } from '@toonbank/database';
import type { QuarantineSource } from '@toonbank/shared';
import { DataSource, type EntityManager } from 'typeorm';
import { reasonOf, type QuarantineEntry } from './quarantine-entry';

/** A row of a channel's list, with its exact position for the next page's cursor. */
export interface QuarantineListRow {
  item: QuarantinedItemEntity;
  /** received_at to the microsecond (a JavaScript Date keeps milliseconds only). */
  position: string;
}

const rowsOf = <T>(result: unknown): T[] => (result as [T[], number])[0];

/** Quarantined items; the organisation id is a required argument of every query. */
@Injectable()
export class QuarantineRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Keeps entries of one channel account, once per external id (an item quarantined again,
   * by a poll or delivery that came again, stays as it was). Answers how many are new.
   */
  async insert(
    manager: EntityManager,
    organisationId: string,
    channelAccountId: string,
    source: QuarantineSource,
    entries: QuarantineEntry[],
  ): Promise<number> {
    if (entries.length === 0) return 0;
    const rows = entries.map((e) => ({
      external_id: e.externalId,
      author_external_id: e.authorExternalId,
      author_handle: e.authorHandle,
      reason: e.reason,
      raw: e.raw,
      raw_truncated: e.rawTruncated,
      item: e.item,
    }));
    const inserted = (await manager.query(
      `INSERT INTO quarantined_items (organisation_id, channel_account_id, source, external_id,
         author_external_id, author_handle, reason, raw, raw_truncated, item)
       SELECT $1, $2, $3, v.external_id, v.author_external_id, v.author_handle, v.reason, v.raw,
         v.raw_truncated, v.item
         FROM json_to_recordset($4::json) AS v(external_id text, author_external_id text,
           author_handle text, reason text, raw text, raw_truncated boolean, item jsonb)
       ON CONFLICT (channel_account_id, external_id) WHERE external_id IS NOT NULL DO NOTHING
       RETURNING id`,
      [organisationId, channelAccountId, source, JSON.stringify(rows)],
    )) as { id: string }[];
    return inserted.length;
  }

  /** A channel's items, newest first, after `after` (keyset). */
  async list(
    organisationId: string,
    channelAccountId: string,
    limit: number,
    after?: { receivedAt: string; id: string },
  ): Promise<QuarantineListRow[]> {
    const query = this.db.manager
      .createQueryBuilder(QuarantinedItemEntity, 'q')
      .addSelect(`to_json(q.received_at) #>> '{}'`, 'position')
      .where('q.organisation_id = :organisationId AND q.channel_account_id = :channelAccountId', {
        organisationId,
        channelAccountId,
      })
      .orderBy('q.received_at', 'DESC')
      .addOrderBy('q.id', 'DESC')
      .limit(limit);
    if (after) {
      query.andWhere(
        '(q.received_at, q.id) < (CAST(:receivedAt AS timestamptz), CAST(:id AS uuid))',
        after,
      );
    }
    const { entities, raw } = await query.getRawAndEntities<{ position: string }>();
    return entities.map((item, index) => ({
      item,
      position: (raw[index] as { position: string }).position,
    }));
  }

  find(
    organisationId: string,
    channelAccountId: string,
    id: string,
  ): Promise<QuarantinedItemEntity | null> {
    return this.db.manager.findOneBy(QuarantinedItemEntity, {
      organisationId,
      channelAccountId,
      id,
    });
  }

  /** Takes the item out (for a retry that stored it, or a discard); null when it is gone already. */
  async remove(
    manager: EntityManager,
    organisationId: string,
    channelAccountId: string,
    id: string,
  ): Promise<boolean> {
    const removed = rowsOf<{ id: string }>(
      await manager.query(
        `DELETE FROM quarantined_items
          WHERE organisation_id = $1 AND channel_account_id = $2 AND id = $3
          RETURNING id`,
        [organisationId, channelAccountId, id],
      ),
    );
    return removed.length > 0;
  }

  /** A retry failed: one attempt more, and why. */
  async recordFailedRetry(
    organisationId: string,
    channelAccountId: string,
    id: string,
    error: string,
  ): Promise<QuarantinedItemEntity | null> {
    const updated = rowsOf<{ id: string }>(
      await this.db.query(
        `UPDATE quarantined_items SET attempts = attempts + 1, last_error = $4
          WHERE organisation_id = $1 AND channel_account_id = $2 AND id = $3
          RETURNING id`,
        [organisationId, channelAccountId, id, reasonOf(error)],
      ),
    );
    return updated.length > 0 ? this.find(organisationId, channelAccountId, id) : null;
  }
}
