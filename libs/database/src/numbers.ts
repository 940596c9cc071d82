import type { EntityManager } from 'typeorm';

/**
 * Takes the next `count` conversation numbers of an organisation and answers the first.
 * Locks the organisation's counter row for the rest of the transaction (not the organisation).
 */
export async function takeConversationNumbers(
  manager: EntityManager,
  organisationId: string,
  count: number,
): Promise<number> {
  const [{ last_number: last }] = (await manager.query(
    `INSERT INTO conversation_numbers (organisation_id, last_number) VALUES ($1, $2)
     ON CONFLICT (organisation_id) DO UPDATE SET last_number = conversation_numbers.last_number + EXCLUDED.last_number
     RETURNING last_number`,
    [organisationId, count],
  )) as [{ last_number: number }];
  return last - count + 1;
}
