import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { QuarantinedItemEntity } from '@toonbank/database';
import { QUARANTINE_RAW_PREVIEW_CHARS, type QuarantineSource } from '@toonbank/shared';
import { DataSource, type EntityManager } from 'typeorm';
import { reasonOf, type QuarantineEntry } from './quarantine-entry';
import type { QuarantinedItemSummary } from './quarantined-item.presenter';

/** A row of a channel's list, with its exact position for the next page's cursor. */
export interface QuarantineListRow {
  item: QuarantinedItemSummary;
  /** received_at to the microsecond (a JavaScript Date keeps milliseconds only). */
  position: string;
}

/** Every column but the raw payload and the item as read; the payload's start and length. */
const SUMMARY_COLUMNS = `q.id, q.organisation_id, q.channel_account_id, q.source, q.external_id,
  q.author_external_id, q.author_handle, q.reason, q.last_error, q.attempts, q.raw_truncated,
  q.received_at, left(q.raw, ${QUARANTINE_RAW_PREVIEW_CHARS}) AS raw_preview,
  char_length(q.raw) AS raw_length`;

interface SummaryRow {
  id: string;
  organisation_id: string;
  channel_account_id: string;
  source: QuarantineSource;
  external_id: string | null;
  author_external_id: string | null;
  author_handle: string | null;
  reason: string;
  last_error: string | null;
  attempts: number;
  raw_truncated: boolean;
  received_at: Date;
  raw_preview: string;
  raw_length: number;
}

const summaryOf = (row: SummaryRow): QuarantinedItemSummary => ({
  id: row.id,
  organisationId: row.organisation_id,
  channelAccountId: row.channel_account_id,
  source: row.source,
  externalId: row.external_id,
  authorExternalId: row.author_external_id,
  authorHandle: row.author_handle,
  reason: row.reason,
  lastError: row.last_error,
  attempts: row.attempts,
  rawTruncated: row.raw_truncated,
  receivedAt: row.received_at,
  rawPreview: row.raw_preview,
  rawLength: Number(row.raw_length),
});

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

  /** A channel's items, newest first, after `after` (keyset); the raw payload's start only. */
  async list(
    organisationId: string,
    channelAccountId: string,
    limit: number,
    after?: { receivedAt: string; id: string },
  ): Promise<QuarantineListRow[]> {
    const rows = (await this.db.query(
      `SELECT ${SUMMARY_COLUMNS}, to_json(q.received_at) #>> '{}' AS position
         FROM quarantined_items q
        WHERE q.organisation_id = $1 AND q.channel_account_id = $2
          AND ($3::timestamptz IS NULL OR (q.received_at, q.id) < ($3, $4::uuid))
        ORDER BY q.received_at DESC, q.id DESC LIMIT $5`,
      [organisationId, channelAccountId, after?.receivedAt ?? null, after?.id ?? null, limit],
    )) as (SummaryRow & { position: string })[];
    return rows.map((row) => ({ item: summaryOf(row), position: row.position }));
  }

  /** One item without its whole raw payload (what the list and a discard show). */
  async findSummary(
    organisationId: string,
    channelAccountId: string,
    id: string,
  ): Promise<QuarantinedItemSummary | null> {
    const rows = (await this.db.query(
      `SELECT ${SUMMARY_COLUMNS} FROM quarantined_items q
        WHERE q.organisation_id = $1 AND q.channel_account_id = $2 AND q.id = $3`,
      [organisationId, channelAccountId, id],
    )) as SummaryRow[];
    return rows[0] ? summaryOf(rows[0]) : null;
  }

  /** One item whole, with its raw payload (what a retry stores). */
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

  /** A retry failed: one attempt more, and why. Answers the attempts so far (null: gone). */
  async recordFailedRetry(
    organisationId: string,
    channelAccountId: string,
    id: string,
    error: string,
  ): Promise<number | null> {
    const updated = rowsOf<{ attempts: number }>(
      await this.db.query(
        `UPDATE quarantined_items SET attempts = attempts + 1, last_error = $4
          WHERE organisation_id = $1 AND channel_account_id = $2 AND id = $3
          RETURNING attempts`,
        [organisationId, channelAccountId, id, reasonOf(error)],
      ),
    );
    return updated[0]?.attempts ?? null;
  }
}
