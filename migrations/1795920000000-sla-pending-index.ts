import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The conversations whose first-response SLA is still running, in due order: the SLA sweep
 * flags the overdue ones and sets again the timers Redis lost for the others, every minute,
 * without reading the closed and answered ones.
 */
export class SlaPendingIndex1795920000000 implements MigrationInterface {
  name = 'SlaPendingIndex1795920000000';

  public async up(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE INDEX "ix_conversations_sla_pending" ON "conversations" ("sla_due_at", "id") WHERE sla_breached = false AND first_response_at IS NULL AND status IN ('unassigned', 'assigned')`,
    );
  }

  public async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX "ix_conversations_sla_pending"`);
  }
}
