/**
 * The reports' SQL, one organisation and one window at a time. Every query starts from an
 * index on (organisation_id, <time column>) (migrations/1795760000000-report-indexes.ts) and
 * aggregates in PostgreSQL: percentiles with percentile_cont, hours and days with
 * AT TIME ZONE in the organisation's zone. Parameters: $1 the organisation, $2 the start of
 * the window, $3 its exclusive end, then what each query says.
 *
 * The SQL is plain text so that a test can EXPLAIN exactly what runs.
 */

/** The author of a conversation's first sent reply: who gave the first response. */
const FIRST_RESPONDER = `
  SELECT r.author_id FROM replies r
   WHERE r.organisation_id = c.organisation_id AND r.conversation_id = c.id AND r.status = 'sent'
   ORDER BY r.sent_at, r.id
   LIMIT 1`;

/**
 * A conversation's first-response SLA, once its outcome is known ($4 = now):
 * `breached` — flagged by the SLA timer, or answered after the due time, or due and still
 * not answered (unless it was closed before falling due: nobody owed an answer then);
 * `met` — answered by the due time; null — still running, or closed unanswered in time.
 */
const SLA_OUTCOME = `
  CASE
    WHEN c.sla_breached OR c.first_response_at > c.sla_due_at THEN 'breached'
    WHEN c.first_response_at IS NOT NULL THEN 'met'
    WHEN c.sla_due_at <= $4 AND (c.closed_at IS NULL OR c.closed_at > c.sla_due_at) THEN 'breached'
  END`;

/** Conversations whose SLA falls due in the window. */
const SLA_IN_WINDOW = `c.organisation_id = $1 AND c.sla_due_at >= $2 AND c.sla_due_at < $3`;

/**
 * First-response and resolution times in seconds (wall clock, not business hours):
 * conversations created in the window that have a first response (first_response_at −
 * created_at), and conversations closed in the window (closed_at − created_at).
 */
export const RESPONSE_TIMES_SQL = `
SELECT kind, count(*)::int AS count,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) AS median,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY seconds) AS p90
  FROM (
    SELECT 'firstResponse' AS kind,
           extract(epoch FROM c.first_response_at - c.created_at)::float8 AS seconds
      FROM conversations c
     WHERE c.organisation_id = $1 AND c.created_at >= $2 AND c.created_at < $3
       AND c.first_response_at IS NOT NULL
    UNION ALL
    SELECT 'resolution', extract(epoch FROM c.closed_at - c.created_at)::float8
      FROM conversations c
     WHERE c.organisation_id = $1 AND c.closed_at >= $2 AND c.closed_at < $3
  ) durations
 GROUP BY kind`;

/**
 * Inbound messages received in the window (notes and outbound left out), counted once per
 * channel, per hour of the day and per day, both in the zone $4: one scan, three groupings.
 */
export const VOLUME_SQL = `
SELECT CASE WHEN GROUPING(channel_id) = 0 THEN 'channel'
            WHEN GROUPING(hour) = 0 THEN 'hour'
            ELSE 'day' END AS dimension,
       channel_id, hour, to_char(day, 'YYYY-MM-DD') AS day, count(*)::int AS count
  FROM (
    SELECT m.channel_account_id AS channel_id,
           extract(hour FROM m.created_at AT TIME ZONE $4::text)::int AS hour,
           (m.created_at AT TIME ZONE $4::text)::date AS day
      FROM messages m
     WHERE m.organisation_id = $1 AND m.direction = 'inbound'
       AND m.created_at >= $2 AND m.created_at < $3
  ) inbound
 GROUP BY GROUPING SETS ((channel_id), (hour), (day))`;

/** Every channel of the organisation, removed ones too (they keep their conversations). */
export const CHANNELS_SQL = `
SELECT ch.id, ch.name, ch.provider, ch.deleted_at IS NOT NULL AS deleted
  FROM channel_accounts ch
 WHERE ch.organisation_id = $1`;

/** SLA met and breached over the conversations due in the window ($4 = now). */
export const SLA_SQL = `
SELECT count(*) FILTER (WHERE outcome = 'met')::int AS met,
       count(*) FILTER (WHERE outcome = 'breached')::int AS breached
  FROM (SELECT ${SLA_OUTCOME} AS outcome FROM conversations c WHERE ${SLA_IN_WINDOW}) outcomes`;

/**
 * Per user ($4 = now): conversations assigned to them in the window (distinct, from the
 * audit log: routing, assignment by a lead, claims); first responses they gave on
 * conversations created in the window, with the median time; the SLA outcomes of the
 * conversations due in the window, each to whoever gave the first response, or to the
 * current assignee when nobody did; and what they hold now. Users without any are left out.
 */
export const AGENTS_SQL = `
WITH responded AS (
  SELECT responder.author_id AS user_id,
         extract(epoch FROM c.first_response_at - c.created_at)::float8 AS seconds
    FROM conversations c
    CROSS JOIN LATERAL (${FIRST_RESPONDER}) responder
   WHERE c.organisation_id = $1 AND c.created_at >= $2 AND c.created_at < $3
     AND c.first_response_at IS NOT NULL
), sla AS (
  SELECT COALESCE(responder.author_id, c.assignee_id) AS user_id, ${SLA_OUTCOME} AS outcome
    FROM conversations c
    LEFT JOIN LATERAL (${FIRST_RESPONDER}) responder ON c.first_response_at IS NOT NULL
   WHERE ${SLA_IN_WINDOW}
), figures AS (
  SELECT user_id, count(*) AS first_responses,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) AS median,
         0 AS assigned, 0 AS sla_met, 0 AS sla_breached, 0 AS open_now
    FROM responded
   GROUP BY user_id
  UNION ALL
  SELECT user_id, 0, NULL, 0, count(*) FILTER (WHERE outcome = 'met'),
         count(*) FILTER (WHERE outcome = 'breached'), 0
    FROM sla
   WHERE outcome IS NOT NULL
   GROUP BY user_id
  UNION ALL
  SELECT (a.after ->> 'assigneeId')::uuid, 0, NULL, count(DISTINCT a.subject_id), 0, 0, 0
    FROM audit_log a
   WHERE a.organisation_id = $1 AND a.action = 'conversation.assigned'
     AND a.at >= $2 AND a.at < $3
   GROUP BY 1
  UNION ALL
  SELECT c.assignee_id, 0, NULL, 0, 0, 0, count(*)
    FROM conversations c
   WHERE c.organisation_id = $1 AND c.status IN ('assigned', 'waiting')
     AND c.assignee_id IS NOT NULL
   GROUP BY c.assignee_id
)
SELECT u.id AS user_id, u.name,
       sum(f.assigned)::int AS assigned,
       sum(f.first_responses)::int AS first_responses,
       max(f.median) AS median,
       sum(f.sla_met)::int AS sla_met,
       sum(f.sla_breached)::int AS sla_breached,
       sum(f.open_now)::int AS open_now
  FROM figures f
  JOIN users u ON u.organisation_id = $1 AND u.id = f.user_id
 GROUP BY u.id, u.name
 ORDER BY u.name, u.id`;

/** The maturity changes in the window, oldest first. */
export const MATURITY_HISTORY_SQL = `
SELECT m."from", m."to", m.reason, m.by_user_id, m.at
  FROM maturity_changes m
 WHERE m.organisation_id = $1 AND m.at >= $2 AND m.at < $3
 ORDER BY m.at, m.id`;
