import {
  firstUseSince,
  isNew,
  markSeen,
  memoryKey,
  readMemory,
  withSince,
  writeMemory,
  type InboxMemory,
} from './inboxMemory';

const T0 = Date.parse('2026-12-07T09:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const FRESH: InboxMemory = { since: null, seen: {}, sort: 'sla' };
const memory = (seen: Record<string, string> = {}, since = at(0)): InboxMemory => ({
  since,
  seen,
  sort: 'sla',
});

describe('isNew: activity later than when this user last had it open', () => {
  it.each([
    ['never opened, activity before first use', memory(), at(-5), false],
    ['never opened, activity at first use', memory(), at(0), false],
    ['never opened, activity after first use', memory(), at(5), true],
    ['opened at its latest message', memory({ c1: at(5) }), at(5), false],
    ['a message since it was opened', memory({ c1: at(5) }), at(6), true],
    ['opened at a later message than the list shows', memory({ c1: at(9) }), at(6), false],
  ])('%s → %s', (_case, held, lastMessageAt, expected) => {
    expect(isNew(held, { id: 'c1', lastMessageAt })).toBe(expected);
  });
});

describe('markSeen', () => {
  it('records the conversation as seen at its latest message', () => {
    const next = markSeen(memory(), { id: 'c1', lastMessageAt: at(5) });
    expect(next.seen).toEqual({ c1: at(5) });
    expect(isNew(next, { id: 'c1', lastMessageAt: at(5) })).toBe(false);
  });

  it('changes nothing for what is not new (no write, the same object)', () => {
    const held = memory({ c1: at(5) });
    expect(markSeen(held, { id: 'c1', lastMessageAt: at(5) })).toBe(held);
    expect(markSeen(held, { id: 'c2', lastMessageAt: at(-1) })).toBe(held);
  });

  it('stays bounded: the oldest go, and `since` rises so that none of them is new again', () => {
    let held = memory();
    for (let i = 1; i <= 5; i += 1) held = markSeen(held, { id: `c${i}`, lastMessageAt: at(i) }, 3);
    expect(Object.keys(held.seen).sort()).toEqual(['c3', 'c4', 'c5']);
    expect(held.since).toBe(at(2));
    for (let i = 1; i <= 5; i += 1)
      expect(isNew(held, { id: `c${i}`, lastMessageAt: at(i) })).toBe(false);
    // Work newer than the new floor is still new.
    expect(isNew(held, { id: 'c9', lastMessageAt: at(3) })).toBe(true);
  });
});

describe('firstUseSince: the server’s now, never the browser’s', () => {
  it.each([
    ['the counts snapshot', at(10), [at(-5), at(3)], at(10)],
    ['newer activity listed than the snapshot', at(10), [at(-5), at(12)], at(12)],
    ['no snapshot (its read failed): the newest activity listed', undefined, [at(2), at(7)], at(7)],
    ['neither known yet', undefined, [], null],
    ['an unreadable snapshot time', 'soon', [at(1)], at(1)],
  ])('%s → %s', (_case, computedAt, listed, expected) => {
    expect(
      firstUseSince(
        computedAt,
        listed.map((lastMessageAt) => ({ lastMessageAt })),
      ),
    ).toBe(expected);
  });

  it('sets the first use once, and only when it has none', () => {
    const seeded = withSince(FRESH, at(10));
    expect(seeded.since).toBe(at(10));
    expect(withSince(seeded, at(20))).toBe(seeded);
    expect(withSince(FRESH, null)).toBe(FRESH);
  });
});

describe('readMemory / writeMemory', () => {
  const storage = () => {
    const items = new Map<string, string>();
    return {
      getItem: (key: string) => items.get(key) ?? null,
      setItem: (key: string, value: string) => void items.set(key, value),
      items,
    };
  };

  it('starts without a first use on first use (the server’s time sets it), nothing new yet', () => {
    const fresh = readMemory(storage(), 'u1');
    expect(fresh).toEqual({ since: null, seen: {}, sort: 'sla' });
    expect(isNew(fresh, { id: 'c1', lastMessageAt: at(60) })).toBe(false);
    expect(markSeen(fresh, { id: 'c1', lastMessageAt: at(60) })).toBe(fresh);
  });

  it('reads back what it wrote, per user', () => {
    const store = storage();
    const held: InboxMemory = { since: at(0), seen: { c1: at(3) }, sort: 'newest' };
    writeMemory(store, 'u1', held);
    expect(readMemory(store, 'u1')).toEqual(held);
    expect(readMemory(store, 'u2')).toEqual(FRESH);
    expect([...store.items.keys()]).toEqual([memoryKey('u1')]);
  });

  it.each([
    ['not JSON', '{'],
    ['not an object', '42'],
    ['no since', JSON.stringify({ seen: {} })],
  ])('starts afresh from an unreadable value (%s)', (_case, value) => {
    const store = storage();
    store.setItem(memoryKey('u1'), value);
    expect(readMemory(store, 'u1')).toEqual(FRESH);
  });

  it('drops what it cannot read inside a readable value', () => {
    const store = storage();
    store.setItem(
      memoryKey('u1'),
      JSON.stringify({ since: at(0), seen: { c1: at(1), c2: 'yesterday' }, sort: 'sideways' }),
    );
    expect(readMemory(store, 'u1')).toEqual(memory({ c1: at(1) }));
  });
});
