import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Quarantined items (issue 13): inbound items that could not be stored, kept for an admin to
 * retry or discard while their channel goes on. `raw` is text, not jsonb: a payload that
 * PostgreSQL's JSON cannot hold (nested too deep) is kept as well, capped at 1 MiB. Indexed
 * for a channel's list (newest first, keyset paging), for the retention job (an organisation's
 * items by arrival), and unique per channel account and external id (quarantined once).
 */
export class QuarantinedItems1795930000000 implements MigrationInterface {
  name = 'QuarantinedItems1795930000000';

  public async up(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE TABLE "quarantined_items" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "channel_account_id" uuid NOT NULL, "source" text NOT NULL, "external_id" text, "author_external_id" text, "author_handle" text, "reason" text NOT NULL, "last_error" text, "raw" text NOT NULL, "raw_truncated" boolean NOT NULL DEFAULT false, "item" jsonb, "attempts" integer NOT NULL DEFAULT '1', "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_quarantined_items_source" CHECK (source IN ('poll', 'webhook')), CONSTRAINT "pk_quarantined_items" PRIMARY KEY ("id"))`,
    );
    await db.query(
      `CREATE UNIQUE INDEX "ix_quarantined_items_external" ON "quarantined_items" ("channel_account_id", "external_id") WHERE external_id IS NOT NULL`,
    );
    await db.query(
      `CREATE INDEX "ix_quarantined_items_organisation_id_received_at" ON "quarantined_items" ("organisation_id", "received_at")`,
    );
    await db.query(
      `CREATE INDEX "ix_quarantined_items_list" ON "quarantined_items" ("organisation_id", "channel_account_id", "received_at", "id")`,
    );
    await db.query(
      `ALTER TABLE "quarantined_items" ADD CONSTRAINT "fk_quarantined_items_organisation_id" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await db.query(
      `ALTER TABLE "quarantined_items" ADD CONSTRAINT "fk_quarantined_items_organisation_id_channel_account_id" FOREIGN KEY ("organisation_id", "channel_account_id") REFERENCES "channel_accounts"("organisation_id","id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
  }

  public async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE "quarantined_items"`);
  }
}
