import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ground floor: organisations and their people, sessions, the maturity history,
 * channel accounts, conversations, messages, replies, templates, tone profiles and
 * the audit log.
 *
 * Every tenant table carries organisation_id, and every reference between tenant rows
 * is a composite foreign key (organisation_id, x_id) → (organisation_id, id): the
 * database itself refuses a conversation assigned to another organisation's user.
 */
export class InitialSchema1795622181169 implements MigrationInterface {
  name = 'InitialSchema1795622181169';

  public async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE "organisations" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "name" text NOT NULL,
        "slug" text NOT NULL,
        "maturity_level" smallint NOT NULL DEFAULT '1',
        "routing_strategy" text NOT NULL DEFAULT 'least_loaded',
        "sla_first_response_minutes" integer NOT NULL DEFAULT '60',
        "business_hours" jsonb,
        "time_zone" text NOT NULL DEFAULT 'Europe/Amsterdam',
        "hand_back_minutes" integer NOT NULL DEFAULT '15',
        "raw_retention_days" integer NOT NULL DEFAULT '90',
        "policy_matrix" jsonb,
        "approvals_to_lift" integer DEFAULT '20',
        "conversation_seq" integer NOT NULL DEFAULT '0',
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_organisations" PRIMARY KEY ("id"),
        CONSTRAINT "uq_organisations_slug" UNIQUE ("slug"),
        CONSTRAINT "ck_organisations_maturity_level" CHECK (maturity_level BETWEEN 1 AND 3),
        CONSTRAINT "ck_organisations_routing_strategy" CHECK (routing_strategy IN ('least_loaded', 'round_robin', 'manual')),
        CONSTRAINT "ck_organisations_sla" CHECK (sla_first_response_minutes > 0),
        CONSTRAINT "ck_organisations_hand_back" CHECK (hand_back_minutes > 0),
        CONSTRAINT "ck_organisations_raw_retention" CHECK (raw_retention_days > 0),
        CONSTRAINT "ck_organisations_approvals_to_lift" CHECK (approvals_to_lift IS NULL OR approvals_to_lift > 0)
      )`);

    await db.query(`
      CREATE TABLE "users" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "organisation_id" uuid NOT NULL,
        "email" text NOT NULL,
        "name" text NOT NULL,
        "initials" text NOT NULL,
        "role" text NOT NULL,
        "active" boolean NOT NULL DEFAULT true,
        "trained_at" TIMESTAMP WITH TIME ZONE,
        "capacity" integer NOT NULL DEFAULT '10',
        "languages" text array NOT NULL DEFAULT '{}',
        "available" boolean NOT NULL DEFAULT true,
        "approvals_earned" integer NOT NULL DEFAULT '0',
        "last_assigned_at" TIMESTAMP WITH TIME ZONE,
        "password_hash" text NOT NULL,
        "password_changed_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_users" PRIMARY KEY ("id"),
        CONSTRAINT "uq_users_email" UNIQUE ("email"),
        CONSTRAINT "uq_users_organisation_id_id" UNIQUE ("organisation_id", "id"),
        CONSTRAINT "ck_users_role" CHECK (role IN ('admin', 'team_lead', 'agent', 'communications', 'employee')),
        CONSTRAINT "ck_users_email_lower_case" CHECK (email = lower(email)),
        CONSTRAINT "ck_users_capacity" CHECK (capacity >= 0),
        CONSTRAINT "ck_users_approvals_earned" CHECK (approvals_earned >= 0),
        CONSTRAINT "fk_users_organisation_id" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id")
      )`);
    await db.query(
      `CREATE INDEX "ix_users_organisation_id_role" ON "users" ("organisation_id", "role")`,
    );

    await db.query(`
      CREATE TABLE "sessions" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "organisation_id" uuid NOT NULL,
        "user_id" uuid NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "revoked_at" TIMESTAMP WITH TIME ZONE,
        "revoked_reason" text,
        "user_agent" text,
        "ip_address" text,
        CONSTRAINT "pk_sessions" PRIMARY KEY ("id"),
        CONSTRAINT "uq_sessions_organisation_id_id" UNIQUE ("organisation_id", "id"),
        CONSTRAINT "fk_sessions_organisation_id_user_id" FOREIGN KEY ("organisation_id", "user_id") REFERENCES "users"("organisation_id", "id")
      )`);
    await db.query(`CREATE INDEX "ix_sessions_user_id" ON "sessions" ("user_id")`);

    await db.query(`
      CREATE TABLE "refresh_tokens" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "organisation_id" uuid NOT NULL,
        "session_id" uuid NOT NULL,
        "token_hash" text NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "used_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "pk_refresh_tokens" PRIMARY KEY ("id"),
        CONSTRAINT "uq_refresh_tokens_token_hash" UNIQUE ("token_hash"),
        CONSTRAINT "fk_refresh_tokens_organisation_id_session_id" FOREIGN KEY ("organisation_id", "session_id") REFERENCES "sessions"("organisation_id", "id") ON DELETE CASCADE
      )`);
    await db.query(
      `CREATE INDEX "ix_refresh_tokens_session_id" ON "refresh_tokens" ("session_id")`,
    );
    await db.query(
      `CREATE INDEX "ix_refresh_tokens_expires_at" ON "refresh_tokens" ("expires_at")`,
    );

    await db.query(`
      CREATE TABLE "maturity_changes" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "organisation_id" uuid NOT NULL,
        "from" smallint NOT NULL,
        "to" smallint NOT NULL,
        "reason" text NOT NULL,
        "by_user_id" uuid NOT NULL,
        "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_maturity_changes" PRIMARY KEY ("id"),
        CONSTRAINT "ck_maturity_changes_levels" CHECK ("from" BETWEEN 1 AND 3 AND "to" BETWEEN 1 AND 3),
        CONSTRAINT "ck_maturity_changes_reason" CHECK (btrim(reason) <> ''),
        CONSTRAINT "fk_maturity_changes_organisation_id" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id"),
        CONSTRAINT "fk_maturity_changes_organisation_id_by_user_id" FOREIGN KEY ("organisation_id", "by_user_id") REFERENCES "users"("organisation_id", "id")
      )`);
    await db.query(
      `CREATE INDEX "ix_maturity_changes_organisation_id_at_id" ON "maturity_changes" ("organisation_id", "at", "id")`,
    );

    await db.query(`
      CREATE TABLE "channel_accounts" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "organisation_id" uuid NOT NULL,
        "provider" text NOT NULL,
        "name" text NOT NULL,
        "handle" text,
        "status" text NOT NULL DEFAULT 'active',
        "config" jsonb NOT NULL DEFAULT '{}',
        "credentials_encrypted" text,
        "external_account_id" text,
        "cursor" jsonb,
        "throttled_until" TIMESTAMP WITH TIME ZONE,
        "last_error" text,
        "last_error_at" TIMESTAMP WITH TIME ZONE,
        "last_polled_at" TIMESTAMP WITH TIME ZONE,
        "poll_interval_seconds" integer NOT NULL DEFAULT '60',
        "deleted_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_channel_accounts" PRIMARY KEY ("id"),
        CONSTRAINT "uq_channel_accounts_organisation_id_id" UNIQUE ("organisation_id", "id"),
        CONSTRAINT "ck_channel_accounts_provider" CHECK (provider IN ('mastodon', 'bluesky', 'x', 'facebook', 'instagram')),
        CONSTRAINT "ck_channel_accounts_status" CHECK (status IN ('active', 'degraded', 'paused')),
        CONSTRAINT "ck_channel_accounts_poll_interval" CHECK (poll_interval_seconds >= 10),
        CONSTRAINT "fk_channel_accounts_organisation_id" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id")
      )`);
    await db.query(
      `CREATE INDEX "ix_channel_accounts_organisation_id_created_at" ON "channel_accounts" ("organisation_id", "created_at")`,
    );
    // Meta webhooks are routed to their channel by page or Instagram account id.
    await db.query(
      `CREATE UNIQUE INDEX "ix_channel_accounts_external_account" ON "channel_accounts" ("provider", "external_account_id") WHERE external_account_id IS NOT NULL AND deleted_at IS NULL`,
    );

    await db.query(`
      CREATE TABLE "conversations" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "organisation_id" uuid NOT NULL,
        "number" integer NOT NULL,
        "channel_account_id" uuid NOT NULL,
        "status" text NOT NULL DEFAULT 'unassigned',
        "assignee_id" uuid,
        "previous_assignee_id" uuid,
        "assigned_at" TIMESTAMP WITH TIME ZONE,
        "customer_external_id" text NOT NULL,
        "customer_handle" text NOT NULL,
        "customer_name" text,
        "language" text,
        "labels" text array NOT NULL DEFAULT '{}',
        "preview" text NOT NULL DEFAULT '',
        "root_external_id" text,
        "last_message_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "last_activity_at" TIMESTAMP WITH TIME ZONE,
        "first_response_at" TIMESTAMP WITH TIME ZONE,
        "sla_due_at" TIMESTAMP WITH TIME ZONE,
        "sla_breached" boolean NOT NULL DEFAULT false,
        "closed_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_conversations" PRIMARY KEY ("id"),
        CONSTRAINT "uq_conversations_organisation_id_id" UNIQUE ("organisation_id", "id"),
        CONSTRAINT "uq_conversations_organisation_id_number" UNIQUE ("organisation_id", "number"),
        CONSTRAINT "ck_conversations_status" CHECK (status IN ('unassigned', 'assigned', 'waiting', 'closed')),
        CONSTRAINT "ck_conversations_assignee" CHECK ((status <> 'unassigned' OR assignee_id IS NULL) AND (status <> 'assigned' OR assignee_id IS NOT NULL)),
        CONSTRAINT "fk_conversations_organisation_id" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id"),
        CONSTRAINT "fk_conversations_organisation_id_channel_account_id" FOREIGN KEY ("organisation_id", "channel_account_id") REFERENCES "channel_accounts"("organisation_id", "id"),
        CONSTRAINT "fk_conversations_organisation_id_assignee_id" FOREIGN KEY ("organisation_id", "assignee_id") REFERENCES "users"("organisation_id", "id"),
        CONSTRAINT "fk_conversations_organisation_id_previous_assignee_id" FOREIGN KEY ("organisation_id", "previous_assignee_id") REFERENCES "users"("organisation_id", "id")
      )`);
    // The inbox: keyset paging by status, newest activity first (id breaks ties).
    await db.query(
      `CREATE INDEX "ix_conversations_inbox" ON "conversations" ("organisation_id", "status", "last_message_at" DESC, "id" DESC)`,
    );
    await db.query(
      `CREATE INDEX "ix_conversations_organisation_id_assignee_id_status" ON "conversations" ("organisation_id", "assignee_id", "status")`,
    );
    // Threading: the same customer's latest conversation on a channel account.
    await db.query(
      `CREATE INDEX "ix_conversations_threading" ON "conversations" ("channel_account_id", "customer_external_id", "last_message_at")`,
    );

    await db.query(`
      CREATE TABLE "templates" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "organisation_id" uuid NOT NULL,
        "name" text NOT NULL,
        "body" text NOT NULL,
        "providers" text array NOT NULL DEFAULT '{}',
        "language" text,
        "created_by" uuid,
        "deleted_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_templates" PRIMARY KEY ("id"),
        CONSTRAINT "uq_templates_organisation_id_id" UNIQUE ("organisation_id", "id"),
        CONSTRAINT "fk_templates_organisation_id" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id"),
        CONSTRAINT "fk_templates_organisation_id_created_by" FOREIGN KEY ("organisation_id", "created_by") REFERENCES "users"("organisation_id", "id")
      )`);
    await db.query(
      `CREATE UNIQUE INDEX "ix_templates_name" ON "templates" ("organisation_id", "name") WHERE deleted_at IS NULL`,
    );

    await db.query(`
      CREATE TABLE "replies" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "organisation_id" uuid NOT NULL,
        "conversation_id" uuid NOT NULL,
        "author_id" uuid NOT NULL,
        "text" text NOT NULL,
        "template_id" uuid,
        "variables" jsonb,
        "private" boolean NOT NULL DEFAULT false,
        "status" text NOT NULL,
        "tone_findings" jsonb NOT NULL DEFAULT '[]',
        "override_reason" text,
        "channel_idempotency_key" text,
        "external_id" text,
        "error" text,
        "approved_by" uuid,
        "approved_at" TIMESTAMP WITH TIME ZONE,
        "rejected_by" uuid,
        "rejection_comment" text,
        "sent_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_replies" PRIMARY KEY ("id"),
        CONSTRAINT "uq_replies_organisation_id_id" UNIQUE ("organisation_id", "id"),
        CONSTRAINT "ck_replies_status" CHECK (status IN ('pending_approval', 'rejected', 'withdrawn', 'queued', 'sent', 'failed')),
        CONSTRAINT "fk_replies_organisation_id" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id"),
        CONSTRAINT "fk_replies_organisation_id_conversation_id" FOREIGN KEY ("organisation_id", "conversation_id") REFERENCES "conversations"("organisation_id", "id"),
        CONSTRAINT "fk_replies_organisation_id_author_id" FOREIGN KEY ("organisation_id", "author_id") REFERENCES "users"("organisation_id", "id"),
        CONSTRAINT "fk_replies_organisation_id_approved_by" FOREIGN KEY ("organisation_id", "approved_by") REFERENCES "users"("organisation_id", "id"),
        CONSTRAINT "fk_replies_organisation_id_rejected_by" FOREIGN KEY ("organisation_id", "rejected_by") REFERENCES "users"("organisation_id", "id"),
        CONSTRAINT "fk_replies_organisation_id_template_id" FOREIGN KEY ("organisation_id", "template_id") REFERENCES "templates"("organisation_id", "id")
      )`);
    // The approval queue and reply lists by status, newest first.
    await db.query(
      `CREATE INDEX "ix_replies_organisation_id_status_created_at_id" ON "replies" ("organisation_id", "status", "created_at", "id")`,
    );
    await db.query(
      `CREATE INDEX "ix_replies_conversation_id_created_at" ON "replies" ("conversation_id", "created_at")`,
    );

    await db.query(`
      CREATE TABLE "messages" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "organisation_id" uuid NOT NULL,
        "conversation_id" uuid NOT NULL,
        "channel_account_id" uuid NOT NULL,
        "direction" text NOT NULL,
        "external_id" text,
        "in_reply_to_external_id" text,
        "author_external_id" text,
        "author_handle" text,
        "author_name" text,
        "author_user_id" uuid,
        "text" text NOT NULL,
        "attachments" jsonb NOT NULL DEFAULT '[]',
        "visibility" text,
        "language" text,
        "raw" jsonb,
        "reply_id" uuid,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "stored_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_messages" PRIMARY KEY ("id"),
        CONSTRAINT "uq_messages_organisation_id_id" UNIQUE ("organisation_id", "id"),
        CONSTRAINT "uq_messages_channel_account_id_external_id" UNIQUE ("channel_account_id", "external_id"),
        CONSTRAINT "ck_messages_direction" CHECK (direction IN ('inbound', 'outbound', 'note')),
        CONSTRAINT "ck_messages_inbound_external_id" CHECK (direction <> 'inbound' OR external_id IS NOT NULL),
        CONSTRAINT "fk_messages_organisation_id" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id"),
        CONSTRAINT "fk_messages_organisation_id_conversation_id" FOREIGN KEY ("organisation_id", "conversation_id") REFERENCES "conversations"("organisation_id", "id"),
        CONSTRAINT "fk_messages_organisation_id_channel_account_id" FOREIGN KEY ("organisation_id", "channel_account_id") REFERENCES "channel_accounts"("organisation_id", "id"),
        CONSTRAINT "fk_messages_organisation_id_author_user_id" FOREIGN KEY ("organisation_id", "author_user_id") REFERENCES "users"("organisation_id", "id"),
        CONSTRAINT "fk_messages_organisation_id_reply_id" FOREIGN KEY ("organisation_id", "reply_id") REFERENCES "replies"("organisation_id", "id")
      )`);
    await db.query(
      `CREATE INDEX "ix_messages_conversation_id_created_at_id" ON "messages" ("conversation_id", "created_at", "id")`,
    );

    await db.query(`
      CREATE TABLE "tone_profiles" (
        "organisation_id" uuid NOT NULL,
        "language" text NOT NULL DEFAULT 'nl',
        "address_default" text NOT NULL DEFAULT 'formal',
        "address_per_channel" jsonb NOT NULL DEFAULT '{}',
        "mirror_customer" boolean NOT NULL DEFAULT false,
        "forbidden_phrases" jsonb NOT NULL DEFAULT '[]',
        "signoff_required" boolean NOT NULL DEFAULT true,
        "signoff_pattern" text NOT NULL DEFAULT '\\^[A-Z]{2,3}$',
        "emoji_allowed" boolean NOT NULL DEFAULT false,
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_tone_profiles" PRIMARY KEY ("organisation_id"),
        CONSTRAINT "ck_tone_profiles_language" CHECK (language IN ('nl', 'en')),
        CONSTRAINT "ck_tone_profiles_address_default" CHECK (address_default IN ('formal', 'informal')),
        CONSTRAINT "fk_tone_profiles_organisation_id" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id")
      )`);

    await db.query(`
      CREATE TABLE "audit_log" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "organisation_id" uuid NOT NULL,
        "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "actor_id" uuid,
        "action" text NOT NULL,
        "subject_type" text NOT NULL,
        "subject_id" uuid,
        "before" jsonb,
        "after" jsonb,
        "reason" text,
        CONSTRAINT "pk_audit_log" PRIMARY KEY ("id"),
        CONSTRAINT "fk_audit_log_organisation_id" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id"),
        CONSTRAINT "fk_audit_log_organisation_id_actor_id" FOREIGN KEY ("organisation_id", "actor_id") REFERENCES "users"("organisation_id", "id")
      )`);
    await db.query(
      `CREATE INDEX "ix_audit_log_organisation_id_at_id" ON "audit_log" ("organisation_id", "at", "id")`,
    );
    await db.query(
      `CREATE INDEX "ix_audit_log_organisation_id_action_at" ON "audit_log" ("organisation_id", "action", "at")`,
    );
    await db.query(
      `CREATE INDEX "ix_audit_log_organisation_id_subject_id" ON "audit_log" ("organisation_id", "subject_id")`,
    );
    await db.query(
      `CREATE INDEX "ix_audit_log_organisation_id_actor_id_at" ON "audit_log" ("organisation_id", "actor_id", "at")`,
    );
    // The audit log is append-only, whatever the application code does.
    await db.query(`
      CREATE FUNCTION "audit_log_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    await db.query(
      `CREATE TRIGGER "audit_log_append_only" BEFORE UPDATE OR DELETE ON "audit_log" FOR EACH ROW EXECUTE FUNCTION "audit_log_refuse_change"()`,
    );
    await db.query(
      `CREATE TRIGGER "audit_log_no_truncate" BEFORE TRUNCATE ON "audit_log" FOR EACH STATEMENT EXECUTE FUNCTION "audit_log_refuse_change"()`,
    );
  }

  public async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE "audit_log"`);
    await db.query(`DROP FUNCTION "audit_log_refuse_change"()`);
    await db.query(`DROP TABLE "tone_profiles"`);
    await db.query(`DROP TABLE "messages"`);
    await db.query(`DROP TABLE "replies"`);
    await db.query(`DROP TABLE "templates"`);
    await db.query(`DROP TABLE "conversations"`);
    await db.query(`DROP TABLE "channel_accounts"`);
    await db.query(`DROP TABLE "maturity_changes"`);
    await db.query(`DROP TABLE "refresh_tokens"`);
    await db.query(`DROP TABLE "sessions"`);
    await db.query(`DROP TABLE "users"`);
    await db.query(`DROP TABLE "organisations"`);
  }
}
