import type { DataSource } from 'typeorm';

/**
 * What an organisation holds in the database, for the suites that prove a request changed
 * nothing and leaked nothing of an organisation. The tables are read from the schema, so a
 * table added later is covered without a change here.
 */

interface Tables {
  /** Every table with an organisation_id column. */
  scoped: string[];
  /** Those of them with a uuid `id`, plus organisations. */
  withIds: string[];
}

const known = new WeakMap<DataSource, Promise<Tables>>();

function tablesOf(db: DataSource): Promise<Tables> {
  let tables = known.get(db);
  if (!tables) {
    tables = (async () => {
      const rows: { table_name: string; has_uuid_id: boolean }[] = await db.query(
        `SELECT table_name,
                bool_or(column_name = 'id' AND data_type = 'uuid') AS has_uuid_id
           FROM information_schema.columns
          WHERE table_schema = current_schema() AND column_name IN ('id', 'organisation_id')
          GROUP BY table_name
         HAVING bool_or(column_name = 'organisation_id')
          ORDER BY table_name`,
      );
      return {
        scoped: rows.map((row) => row.table_name),
        withIds: rows.filter((row) => row.has_uuid_id).map((row) => row.table_name),
      };
    })();
    known.set(db, tables);
  }
  return tables;
}

/** Per table, `<rows>:<hash of every row>`: two equal digests mean that nothing changed. */
export type OrganisationDigest = Record<string, string>;

// The sum of each row's hash (60 bits of its md5): independent of the rows' order, so that no
// sort is needed, which made the digest several times slower on a few hundred rows.
const digestOf = (from: string, where: string) =>
  `(SELECT count(*) || ':' || coalesce(sum(('x' || left(md5(t::text), 15))::bit(60)::bigint), 0)
      FROM ${from} t WHERE ${where})`;

/** The organisation's own row and every row of every table that belongs to it, in one query. */
export async function organisationDigest(
  db: DataSource,
  organisationId: string,
): Promise<OrganisationDigest> {
  const { scoped } = await tablesOf(db);
  const columns = [
    `${digestOf('organisations', 't.id = $1')} AS organisations`,
    ...scoped.map((name) => `${digestOf(`"${name}"`, 't.organisation_id = $1')} AS "${name}"`),
  ];
  const [row] = (await db.query(`SELECT ${columns.join(', ')}`, [organisationId])) as [
    OrganisationDigest,
  ];
  return row;
}

/** Both organisations' digests, keyed by the names given. */
export async function digests<K extends string>(
  db: DataSource,
  organisations: Record<K, string>,
): Promise<Record<K, OrganisationDigest>> {
  const entries = await Promise.all(
    Object.entries<string>(organisations).map(
      async ([key, id]) => [key, await organisationDigest(db, id)] as const,
    ),
  );
  return Object.fromEntries(entries) as Record<K, OrganisationDigest>;
}

/** The tables whose digest differs. */
export const changedTables = (before: OrganisationDigest, after: OrganisationDigest): string[] =>
  Object.keys({ ...before, ...after })
    .filter((table) => before[table] !== after[table])
    .sort();

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** The uuids in a text, lower case, each once. */
export const uuidsIn = (text: string): string[] => [
  ...new Set((text.match(UUID) ?? []).map((id) => id.toLowerCase())),
];

/**
 * The ids of the organisation's records (itself included) that appear in `text`, leaving out
 * those the caller sent: echoing the caller's own input back is no leak.
 */
export async function idsOfOrganisationIn(
  db: DataSource,
  organisationId: string,
  text: string,
  sent: Iterable<string> = [],
): Promise<string[]> {
  const echoed = new Set([...sent].map((id) => id.toLowerCase()));
  const candidates = uuidsIn(text).filter((id) => !echoed.has(id));
  if (candidates.length === 0) return [];
  const { withIds } = await tablesOf(db);
  const lookups = [
    `SELECT id::text FROM organisations WHERE id = $1 AND id = ANY($2::uuid[])`,
    ...withIds.map(
      (name) =>
        `SELECT id::text FROM "${name}" WHERE organisation_id = $1 AND id = ANY($2::uuid[])`,
    ),
  ];
  const rows: { id: string }[] = await db.query(lookups.join(' UNION '), [
    organisationId,
    candidates,
  ]);
  return rows.map((row) => row.id).sort();
}

/**
 * Words that name the organisation and its people, channels, customers and texts: its name
 * and slug, users' names and e-mails, channels' names and handles, customers' handles and
 * names, previews, labels, messages, replies and templates.
 */
export async function organisationStrings(
  db: DataSource,
  organisationId: string,
): Promise<Set<string>> {
  const rows: { s: string | null }[] = await db.query(
    `SELECT name AS s FROM organisations WHERE id = $1
     UNION SELECT slug FROM organisations WHERE id = $1
     UNION SELECT name FROM users WHERE organisation_id = $1
     UNION SELECT email FROM users WHERE organisation_id = $1
     UNION SELECT name FROM channel_accounts WHERE organisation_id = $1
     UNION SELECT handle FROM channel_accounts WHERE organisation_id = $1
     UNION SELECT customer_handle FROM conversations WHERE organisation_id = $1
     UNION SELECT customer_name FROM conversations WHERE organisation_id = $1
     UNION SELECT preview FROM conversations WHERE organisation_id = $1
     UNION SELECT unnest(labels) FROM conversations WHERE organisation_id = $1
     UNION SELECT text FROM messages WHERE organisation_id = $1
     UNION SELECT text FROM replies WHERE organisation_id = $1
     UNION SELECT name FROM templates WHERE organisation_id = $1
     UNION SELECT body FROM templates WHERE organisation_id = $1`,
    [organisationId],
  );
  return new Set(rows.map((row) => row.s).filter((s): s is string => !!s && s.length >= 4));
}

/** The strings of `organisationId` that `comparedTo` does not also hold (defaults both share). */
export async function distinctiveStrings(
  db: DataSource,
  organisationId: string,
  comparedTo: string,
): Promise<string[]> {
  const [mine, theirs] = await Promise.all([
    organisationStrings(db, organisationId),
    organisationStrings(db, comparedTo),
  ]);
  return [...mine].filter((s) => !theirs.has(s)).sort();
}

/** Which of these strings a text contains (JSON-escaped as they would be in a body). */
export const stringsIn = (text: string, strings: Iterable<string>): string[] =>
  [...strings].filter((s) => text.includes(s) || text.includes(JSON.stringify(s).slice(1, -1)));
