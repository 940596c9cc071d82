// Correctness figures that more than one benchmark counts afterwards, in SQL.
import { OrganisationEntity, UserEntity } from '@toonbank/database';
import { isEligible } from '@toonbank/policy';
import type { DataSource } from 'typeorm';

/** One `count(*)::int AS n` query's answer. */
export async function countOf(db: DataSource, sql: string, args: unknown[]): Promise<number> {
  return ((await db.query(sql, args)) as [{ n: number }])[0].n;
}

/** People of the organisation holding more open (assigned or waiting) conversations than their capacity. */
export const peopleOverCapacity = (db: DataSource, organisationId: string): Promise<number> =>
  countOf(
    db,
    `SELECT count(*)::int AS n FROM (
       SELECT u.id FROM users u
         JOIN conversations c ON c.organisation_id = u.organisation_id
          AND c.assignee_id = u.id AND c.status IN ('assigned', 'waiting')
        WHERE u.organisation_id = $1
        GROUP BY u.id, u.capacity HAVING count(*) > u.capacity) over_capacity`,
    [organisationId],
  );

/**
 * People over capacity who got their work from routing alone: claims and assignments by hand
 * may go past capacity on purpose (API.md), routing never.
 */
export const overCapacityThroughRouting = (
  db: DataSource,
  organisationId: string,
): Promise<number> =>
  countOf(
    db,
    `SELECT count(*)::int AS n FROM (
       SELECT u.id FROM users u
         JOIN conversations c ON c.organisation_id = u.organisation_id
          AND c.assignee_id = u.id AND c.status IN ('assigned', 'waiting')
        WHERE u.organisation_id = $1
          AND NOT EXISTS (SELECT 1 FROM audit_log a
                           WHERE a.organisation_id = u.organisation_id
                             AND a.action = 'conversation.assigned' AND a.actor_id IS NOT NULL
                             AND a.after->>'assigneeId' = u.id::text)
        GROUP BY u.id, u.capacity HAVING count(*) > u.capacity) over_capacity`,
    [organisationId],
  );

/** Conversations whose status and assignee disagree (held but unassigned, or the reverse). */
export const statusAssigneeMismatches = (db: DataSource, organisationId: string): Promise<number> =>
  countOf(
    db,
    `SELECT count(*)::int AS n FROM conversations
      WHERE organisation_id = $1
        AND ((status IN ('assigned', 'waiting') AND assignee_id IS NULL)
          OR (status = 'unassigned' AND assignee_id IS NOT NULL))`,
    [organisationId],
  );

/**
 * Open conversations held, and replies waiting for approval written, by someone who may not
 * respond now (inactive, or not eligible at the organisation's level and policy): what a
 * deactivation, a role or a maturity change must take back in its own transaction.
 */
export async function workOfTheIneligible(
  db: DataSource,
  organisationId: string,
): Promise<{ conversations: number; replies: number }> {
  const organisation = await db
    .getRepository(OrganisationEntity)
    .findOneByOrFail({ id: organisationId });
  const users = await db.getRepository(UserEntity).findBy({ organisationId });
  const ineligible = users.filter((u) => !isEligible(u, organisation)).map((u) => u.id);
  const [conversations, replies] = await Promise.all([
    countOf(
      db,
      `SELECT count(*)::int AS n FROM conversations WHERE organisation_id = $1
         AND status IN ('assigned', 'waiting') AND assignee_id = ANY($2::uuid[])`,
      [organisationId, ineligible],
    ),
    countOf(
      db,
      `SELECT count(*)::int AS n FROM replies WHERE organisation_id = $1
         AND status = 'pending_approval' AND author_id = ANY($2::uuid[])`,
      [organisationId, ineligible],
    ),
  ]);
  return { conversations, replies };
}
