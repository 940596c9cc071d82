import { Injectable } from '@nestjs/common';
import type { ConversationEntity, OrganisationEntity } from '@toonbank/database';
import type { EntityManager } from 'typeorm';
import { ConversationStatusWriter, type Reopened } from './status-writer';

/** A touched open conversation's new state after the customer's messages of a batch. */
export type InboundMove = Pick<
  ConversationEntity,
  'id' | 'lastMessageAt' | 'preview' | 'language' | 'status'
>;

/**
 * The conversations' side of storing what customers wrote, a batch of one channel account at
 * a time in the ingest's transaction: new conversations in one statement, the touched open
 * ones moved on in another, a closed one reopened.
 */
@Injectable()
export class InboundConversationWriter {
  constructor(private readonly status: ConversationStatusWriter) {}

  /**
   * New conversations of one channel account (the columns the ingest fills), passed as one
   * JSON document (json_to_recordset): TypeORM's multi-row insert spent more time building
   * its SQL and merging the RETURNING values back than PostgreSQL spent storing the rows.
   */
  async create(
    manager: EntityManager,
    organisationId: string,
    channelAccountId: string,
    conversations: readonly ConversationEntity[],
  ): Promise<void> {
    const rows = conversations.map((c) => ({
      id: c.id,
      number: c.number,
      status: c.status,
      customer_external_id: c.customerExternalId,
      customer_handle: c.customerHandle,
      customer_name: c.customerName,
      language: c.language,
      preview: c.preview,
      root_external_id: c.rootExternalId,
      last_message_at: c.lastMessageAt,
      sla_due_at: c.slaDueAt,
    }));
    await manager.query(
      `INSERT INTO conversations (id, organisation_id, number, channel_account_id, status,
         customer_external_id, customer_handle, customer_name, language, preview,
         root_external_id, last_message_at, sla_due_at)
       SELECT v.id, $1, v.number, $2, v.status, v.customer_external_id, v.customer_handle,
         v.customer_name, v.language, v.preview, v.root_external_id, v.last_message_at,
         v.sla_due_at
         FROM json_to_recordset($3::json) AS v(id uuid, number int, status text,
           customer_external_id text, customer_handle text, customer_name text, language text,
           preview text, root_external_id text, last_message_at timestamptz,
           sla_due_at timestamptz)`,
      [organisationId, channelAccountId, JSON.stringify(rows)],
    );
  }

  /**
   * The touched open conversations (locked by the caller) move on in one statement: newest
   * activity, preview, language and status. One UPDATE a batch instead of a read and an
   * UPDATE a conversation.
   */
  async moveOn(
    manager: EntityManager,
    organisationId: string,
    moves: readonly InboundMove[],
  ): Promise<void> {
    if (moves.length === 0) return;
    await manager.query(
      `UPDATE conversations c
          SET last_message_at = v.last_message_at, preview = v.preview, language = v.language,
              status = v.status, updated_at = CURRENT_TIMESTAMP
         FROM unnest($2::uuid[], $3::timestamptz[], $4::text[], $5::text[], $6::text[])
           AS v(id, last_message_at, preview, language, status)
        WHERE c.organisation_id = $1 AND c.id = v.id`,
      [
        organisationId,
        moves.map((c) => c.id),
        moves.map((c) => c.lastMessageAt.toISOString()),
        moves.map((c) => c.preview),
        moves.map((c) => c.language),
        moves.map((c) => c.status),
      ],
    );
  }

  /**
   * A closed conversation (locked by the caller) that got a message: its new activity and
   * preview as the caller set them are stored, then it reopens (ConversationStatusWriter).
   */
  async reopen(
    manager: EntityManager,
    organisation: OrganisationEntity,
    conversation: ConversationEntity,
  ): Promise<Reopened> {
    await manager.save(conversation);
    return this.status.reopen(manager, organisation, conversation, null);
  }
}
