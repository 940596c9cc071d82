// Correctness figures that more than one benchmark counts afterwards, in SQL.
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
