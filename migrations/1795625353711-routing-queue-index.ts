import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The routing queue: unassigned conversations in the order routing takes them (breached
 * first, earliest due, oldest activity), and the hand-back sweep over assigned ones.
 */
export class RoutingQueueIndex1795625353711 implements MigrationInterface {
  name = 'RoutingQueueIndex1795625353711';

  public async up(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE INDEX "ix_conversations_routing_queue" ON "conversations" ("organisation_id", "sla_breached" DESC, "sla_due_at" ASC NULLS LAST, "last_message_at", "id") WHERE status = 'unassigned'`,
    );
    await db.query(
      `CREATE INDEX "ix_conversations_hand_back" ON "conversations" ("assigned_at") WHERE status = 'assigned' AND first_response_at IS NULL`,
    );
  }

  public async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX "ix_conversations_hand_back"`);
    await db.query(`DROP INDEX "ix_conversations_routing_queue"`);
  }
}
