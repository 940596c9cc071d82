import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Privacy (API.md §Audit, reports, privacy). `conversations.erased_at`: the customer was
 * erased; ingest no longer threads into the conversation. `ix_messages_raw_retention`: the
 * daily retention job finds an organisation's expired raw payloads in batches; partial on
 * `raw IS NOT NULL`, so the index shrinks as payloads are dropped and a batch never wades
 * through rows already done.
 */
export class Privacy1795800000000 implements MigrationInterface {
  name = 'Privacy1795800000000';

  public async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "conversations" ADD "erased_at" TIMESTAMP WITH TIME ZONE`);
    await db.query(
      `CREATE INDEX "ix_messages_raw_retention" ON "messages" ("organisation_id", "stored_at") WHERE raw IS NOT NULL`,
    );
  }

  public async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX "ix_messages_raw_retention"`);
    await db.query(`ALTER TABLE "conversations" DROP COLUMN "erased_at"`);
  }
}
