import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Delivery state (issue 14): the public URL of a post on its channel (`external_url`, on
 * messages and on replies, built by the channel's connector), and for a failed reply whether the
 * failure proves it never reached the channel (`failure`: `not_sent`, so a team lead may retry
 * it) or it may have (`maybe_sent`: check on the channel, never resend). `may_have_arrived`
 * remembers across attempts that one of them may have reached the channel (set before each
 * attempt, cleared only when the channel proved it did not); `retry_count` numbers the retries
 * a person asked for, so that each gets a job of its own.
 *
 * Replies that failed before this migration: never attempted (`attempts = 0`) is `not_sent`,
 * anything else `maybe_sent` (what is known of an old attempt does not prove it never arrived).
 */
export class ReplyDeliveryState1795940000000 implements MigrationInterface {
  name = 'ReplyDeliveryState1795940000000';

  public async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "messages" ADD "external_url" text`);
    await db.query(
      `ALTER TABLE "replies" ADD "external_url" text, ADD "failure" text, ADD "may_have_arrived" boolean NOT NULL DEFAULT false, ADD "retry_count" integer NOT NULL DEFAULT '0'`,
    );
    await db.query(
      `UPDATE "replies" SET "failure" = CASE WHEN attempts = 0 AND send_started_at IS NULL THEN 'not_sent' ELSE 'maybe_sent' END, "may_have_arrived" = NOT (attempts = 0 AND send_started_at IS NULL) WHERE status = 'failed'`,
    );
    await db.query(
      `ALTER TABLE "replies" ADD CONSTRAINT "ck_replies_failure" CHECK ((status = 'failed' AND failure IN ('not_sent', 'maybe_sent')) OR (status <> 'failed' AND failure IS NULL))`,
    );
  }

  public async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "replies" DROP CONSTRAINT "ck_replies_failure"`);
    await db.query(
      `ALTER TABLE "replies" DROP COLUMN "retry_count", DROP COLUMN "may_have_arrived", DROP COLUMN "failure", DROP COLUMN "external_url"`,
    );
    await db.query(`ALTER TABLE "messages" DROP COLUMN "external_url"`);
  }
}
