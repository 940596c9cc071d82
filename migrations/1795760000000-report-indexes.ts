import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The reports (libs/reports) read one organisation's rows in a time window: conversations by
 * created_at (first response), closed_at (resolution) and sla_due_at (SLA met or breached),
 * and inbound messages by created_at (volume). Each is an index range scan on
 * (organisation_id, <time>) instead of a scan of the organisation's every row.
 */
export class ReportIndexes1795760000000 implements MigrationInterface {
  name = 'ReportIndexes1795760000000';

  public async up(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE INDEX "ix_conversations_organisation_id_created_at" ON "conversations" ("organisation_id", "created_at")`,
    );
    await db.query(
      `CREATE INDEX "ix_conversations_organisation_id_closed_at" ON "conversations" ("organisation_id", "closed_at")`,
    );
    await db.query(
      `CREATE INDEX "ix_conversations_organisation_id_sla_due_at" ON "conversations" ("organisation_id", "sla_due_at")`,
    );
    await db.query(
      `CREATE INDEX "ix_messages_organisation_id_direction_created_at" ON "messages" ("organisation_id", "direction", "created_at")`,
    );
  }

  public async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX "ix_messages_organisation_id_direction_created_at"`);
    await db.query(`DROP INDEX "ix_conversations_organisation_id_sla_due_at"`);
    await db.query(`DROP INDEX "ix_conversations_organisation_id_closed_at"`);
    await db.query(`DROP INDEX "ix_conversations_organisation_id_created_at"`);
  }
}
