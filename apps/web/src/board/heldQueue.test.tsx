import { loadAfter, shownQueue } from './heldQueue';

const card = (id: string, preview = id) => ({ id, preview });
const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((id) => card(id));

describe('shownQueue: what the board shows of the queue', () => {
  it.each([
    ['not held: the live list', [a, b, c], null, [], 'a b c'],
    ['not held: cards being assigned leave at once', [a, b, c], null, ['b'], 'a c'],
    ['held: a card that left stays in its place, marked gone', [b, c], [a, b, c], [], 'a! b c'],
    ['held: a newcomer waits until the drag ends', [d, a, b, c], [a, b, c], [], 'a b c'],
    ['held: a re-sort moves nothing', [c, b, a], [a, b, c], [], 'a b c'],
    ['held: the dropped card leaves', [a, b, c], [a, b, c], ['c'], 'a b'],
    ['held and gone and dropped', [b], [a, b, c], ['c'], 'a! b'],
  ])('%s', (_name, live, held, moving, expected) => {
    const shown = shownQueue(live, held, new Set(moving));
    expect(shown.map(({ item, gone }) => `${item.id}${gone ? '!' : ''}`).join(' ')).toBe(expected);
  });

  it('shows the live data of a held card that is still there', () => {
    const [shown] = shownQueue([card('a', 'new text')], [card('a', 'old text')], new Set());
    expect(shown).toEqual({ item: { id: 'a', preview: 'new text' }, gone: false });
  });
});

describe('loadAfter: a person’s load with the assignments under way', () => {
  it.each([
    [3, [], 0, 3],
    [3, [['x', 'p']], 0, 4],
    [
      3,
      [
        ['x', 'p'],
        ['y', 'q'],
      ],
      1,
      5,
    ],
    [10, [['x', 'q']], 1, 11],
  ] as const)('%i open, moving %j, plus %i: %i', (open, moving, extra, expected) => {
    expect(loadAfter({ id: 'p', openConversations: open }, new Map(moving), extra)).toBe(expected);
  });
});
