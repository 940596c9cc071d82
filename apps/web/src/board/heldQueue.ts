/** A card as the board shows it: `gone` when it left the live queue while the list was held. */
export interface ShownCard<T> {
  item: T;
  gone: boolean;
}

/**
 * The queue as the board shows it. Normally the live list without the cards being assigned
 * right now (they leave at once, at the drop, not when the server's answer lands while the
 * pointer is already aiming at the next card). While a drag holds the list (`held`: the cards
 * shown when the pointer went down), the order and the members of that moment stay: each card
 * with its live data while it is still in the queue, marked `gone` once it is not, and
 * newcomers wait until the drag ends. So no card moves under the pointer, whatever the live
 * updates do.
 */
export function shownQueue<T extends { id: string }>(
  live: readonly T[],
  held: readonly T[] | null,
  moving: ReadonlySet<string>,
): ShownCard<T>[] {
  const current = new Map(live.map((item) => [item.id, item]));
  return (held ?? live)
    .filter((item) => !moving.has(item.id))
    .map((item) => {
      const now = current.get(item.id);
      return now ? { item: now, gone: false } : { item, gone: true };
    });
}

/** The load a person will have once the assignments under way (to them) are done, plus `extra`. */
export function loadAfter(
  person: { id: string; openConversations: number },
  moving: ReadonlyMap<string, string>,
  extra = 0,
): number {
  let pending = 0;
  for (const userId of moving.values()) if (userId === person.id) pending += 1;
  return person.openConversations + pending + extra;
}
