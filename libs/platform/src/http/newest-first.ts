import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { Page } from '@toonbank/shared';
import type { CursorCodec } from './cursor-codec';

/**
 * One page of a log-like collection, newest first by `<alias>.<timeColumn>` then id, with
 * the keyset cursor of API.md. The time travels as PostgreSQL's own text so that its
 * microseconds survive (a JavaScript Date would cut them and repeat or skip rows).
 */
export async function newestFirstPage<T extends ObjectLiteral & { id: string }, D>(
  query: SelectQueryBuilder<T>,
  { alias, timeColumn }: { alias: string; timeColumn: string },
  { limit, cursor }: { limit: number; cursor?: string },
  cursors: CursorCodec,
  present: (entity: T) => D,
): Promise<Page<D>> {
  const column = `${alias}.${timeColumn}`;
  query
    .addSelect(`${column}::text`, 'position_at')
    .orderBy(column, 'DESC')
    .addOrderBy(`${alias}.id`, 'DESC')
    .limit(limit + 1);
  if (cursor) {
    const after = cursors.decode<{ at: string; id: string }>(cursor, ['at', 'id']);
    query.andWhere(
      `(${column}, ${alias}.id) < (CAST(:at AS timestamptz), CAST(:id AS uuid))`,
      after,
    );
  }
  const { entities, raw } = await query.getRawAndEntities();
  const last = entities[limit - 1];
  return {
    items: entities.slice(0, limit).map(present),
    nextCursor:
      entities.length > limit && last
        ? cursors.encode({
            at: String((raw[limit - 1] as { position_at: string }).position_at),
            id: last.id,
          })
        : null,
  };
}
