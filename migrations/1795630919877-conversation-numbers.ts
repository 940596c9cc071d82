import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Conversation numbers count per organisation in a row of their own: taking the next numbers
 * locks that row only, never the organisation's, which assignments share-lock (an ingest
 * upgrading its share lock on the organisation to update a counter there deadlocked with a
 * concurrent one).
 */
export class ConversationNumbers1795630919877 implements MigrationInterface {
  name = 'ConversationNumbers1795630919877';

  public async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE "conversation_numbers" (
        "organisation_id" uuid NOT NULL,
        "last_number" integer NOT NULL DEFAULT '0',
        CONSTRAINT "pk_conversation_numbers" PRIMARY KEY ("organisation_id"),
        CONSTRAINT "ck_conversation_numbers_last_number" CHECK (last_number >= 0),
        CONSTRAINT "fk_conversation_numbers_organisation_id" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id")
      )`);
    await db.query(
      `INSERT INTO "conversation_numbers" ("organisation_id", "last_number") SELECT "id", "conversation_seq" FROM "organisations" WHERE "conversation_seq" > 0`,
    );
    await db.query(`ALTER TABLE "organisations" DROP COLUMN "conversation_seq"`);
  }

  public async down(db: QueryRunner): Promise<void> {
    await db.query(
      `ALTER TABLE "organisations" ADD "conversation_seq" integer NOT NULL DEFAULT '0'`,
    );
    await db.query(
      `UPDATE "organisations" o SET "conversation_seq" = n."last_number" FROM "conversation_numbers" n WHERE n."organisation_id" = o."id"`,
    );
    await db.query(`DROP TABLE "conversation_numbers"`);
  }
}
