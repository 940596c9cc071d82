import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the outbound queue needs to post a reply exactly once: the customer's message it
 * answers, when an attempt that may reach the channel started (a channel without
 * idempotency is never sent to blindly again after that), how many attempts there were,
 * and the sweep over queued replies whose job was lost.
 */
export class OutboundReplies1795700000000 implements MigrationInterface {
  name = 'OutboundReplies1795700000000';

  public async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "replies" ADD "in_reply_to_message_id" uuid`);
    await db.query(`ALTER TABLE "replies" ADD "send_started_at" TIMESTAMP WITH TIME ZONE`);
    await db.query(`ALTER TABLE "replies" ADD "attempts" integer NOT NULL DEFAULT '0'`);
    await db.query(
      `ALTER TABLE "replies" ADD CONSTRAINT "fk_replies_organisation_id_in_reply_to_message_id" FOREIGN KEY ("organisation_id", "in_reply_to_message_id") REFERENCES "messages"("organisation_id", "id")`,
    );
    await db.query(
      `CREATE INDEX "ix_replies_outbound_sweep" ON "replies" ("updated_at") WHERE status = 'queued'`,
    );
  }

  public async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX "ix_replies_outbound_sweep"`);
    await db.query(
      `ALTER TABLE "replies" DROP CONSTRAINT "fk_replies_organisation_id_in_reply_to_message_id"`,
    );
    await db.query(`ALTER TABLE "replies" DROP COLUMN "attempts"`);
    await db.query(`ALTER TABLE "replies" DROP COLUMN "send_started_at"`);
    await db.query(`ALTER TABLE "replies" DROP COLUMN "in_reply_to_message_id"`);
  }
}
