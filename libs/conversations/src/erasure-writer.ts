import { Injectable } from '@nestjs/common';
import { ERASED_TEXT } from '@toonbank/shared';
import type { EntityManager } from 'typeorm';

const rowsOf = <T>(result: unknown): T[] => (result as [T[], number])[0];

/**
 * The conversations' side of erasing a customer (API.md §privacy), in the erasure's
 * transaction on conversations it locked: their customer becomes a pseudonym and their
 * previews go. Ids, statuses, assignees, labels and SLA flags stay.
 */
@Injectable()
export class ConversationErasureWriter {
  /** The customer's own conversations: pseudonym, no name, an erased preview, `erased_at`. */
  async pseudonymise(
    manager: EntityManager,
    organisationId: string,
    conversationIds: readonly string[],
    pseudonym: string,
  ): Promise<void> {
    await manager.query(
      `UPDATE conversations
          SET customer_external_id = $3, customer_handle = $3, customer_name = NULL,
              preview = $4, erased_at = now(), updated_at = now()
        WHERE organisation_id = $1 AND id = ANY($2)`,
      [organisationId, conversationIds, pseudonym, ERASED_TEXT],
    );
  }

  /**
   * Of these (other customers') conversations, those whose latest inbound message is now the
   * pseudonym's show an erased preview; their ids.
   */
  async clearPreviews(
    manager: EntityManager,
    organisationId: string,
    conversationIds: readonly string[],
    pseudonym: string,
  ): Promise<string[]> {
    if (conversationIds.length === 0) return [];
    const rows = rowsOf<{ id: string }>(
      await manager.query(
        `UPDATE conversations c SET preview = $4, updated_at = now()
          WHERE c.organisation_id = $1 AND c.id = ANY($2)
            AND (SELECT m.author_external_id FROM messages m
                  WHERE m.conversation_id = c.id AND m.direction = 'inbound'
                  ORDER BY m.created_at DESC, m.id DESC LIMIT 1) = $3
          RETURNING c.id`,
        [organisationId, conversationIds, pseudonym, ERASED_TEXT],
      ),
    );
    return rows.map((r) => r.id);
  }
}
