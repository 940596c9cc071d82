import { growth, MAX_GROWTH, repeatTo } from '../../../../tests/support/linearity';
import {
  colleaguesMatching,
  completeMention,
  insertMention,
  mentionAt,
  sameMention,
} from './mentionSuggest';

const USERS = [
  { id: 'a', name: 'Anna de Vries', initials: 'AV' },
  { id: 'b', name: 'Bram Jansen', initials: 'BJ' },
  { id: 'l', name: 'Lars Bakker', initials: 'LB' },
  { id: 'e', name: 'Ëlla Aerts', initials: 'EA' },
];

describe('mentionAt', () => {
  it.each([
    ['@', 1, { start: 0, query: '' }],
    ['kijk @an', 8, { start: 5, query: 'an' }],
    ['kijk @an mee', 8, { start: 5, query: 'an' }],
    ['(@BJ', 4, { start: 1, query: 'BJ' }],
    ['mail anna@demo', 14, null], // an address, not a mention
    ['kijk @an mee', 12, null], // the caret is past the mention
    ['geen mention', 12, null],
  ])('%j with the caret at %i → %j', (text, caret, expected) => {
    expect(mentionAt(text, caret)).toEqual(expected);
  });
});

describe('colleaguesMatching', () => {
  it.each([
    ['', ['Bram Jansen', 'Ëlla Aerts', 'Lars Bakker']], // everyone but the writer, by name
    ['b', ['Bram Jansen', 'Lars Bakker']], // initials first, then a word of the name
    ['ja', ['Bram Jansen']],
    ['ella', ['Ëlla Aerts']], // accents fold
    ['av', []], // the writer never
    ['x', []],
  ])('%j → %j', (query, names) => {
    expect(colleaguesMatching(USERS, query, 'a').map((u) => u.name)).toEqual(names);
  });

  it('offers at most the limit', () => {
    expect(colleaguesMatching(USERS, '', 'nobody', 2)).toHaveLength(2);
  });
});

describe('insertMention', () => {
  it('replaces the typed part with the initials and a space, the caret after it', () => {
    expect(insertMention('kijk @br mee', { start: 5, query: 'br' }, 8, 'bj')).toEqual({
      text: 'kijk @BJ mee',
      caret: 9,
    });
    expect(insertMention('@', { start: 0, query: '' }, 1, 'LB')).toEqual({
      text: '@LB ',
      caret: 4,
    });
  });
});

describe('completeMention (what the box holds now, where its caret is)', () => {
  it.each<[string, number, { text: string; caret: number } | null]>([
    ['kijk @la', 8, { text: 'kijk @LB ', caret: 9 }],
    ['kijk @la mee', 8, { text: 'kijk @LB mee', caret: 9 }],
    ['@LB ', 3, { text: '@LB ', caret: 4 }], // the same text: the caret still moves past it
    ['kijk @la', 0, null], // the caret left the @ (Home): nothing to complete
    ['kijk @la mee', 12, null],
    ['anna@demo', 9, null],
  ])('%j with the caret at %i → %j', (text, caret, expected) => {
    expect(completeMention(text, caret, 'lb')).toEqual(expected);
  });
});

describe('sameMention', () => {
  it.each<[Parameters<typeof sameMention>[0], Parameters<typeof sameMention>[1], boolean]>([
    [null, null, true],
    [{ start: 1, query: 'a' }, { start: 1, query: 'a' }, true],
    [{ start: 1, query: 'a' }, { start: 1, query: 'ab' }, false],
    [{ start: 1, query: 'a' }, { start: 2, query: 'a' }, false],
    [{ start: 1, query: 'a' }, null, false],
    [null, { start: 1, query: 'a' }, false],
  ])('%j and %j → %s', (a, b, same) => {
    expect(sameMention(a, b)).toBe(same);
  });
});

describe('mention lookup in linear time (issue 11)', () => {
  it.each<[string, (length: number) => string]>([
    [
      'mentions of forty characters that never end',
      (n) => repeatTo(`@${'a'.repeat(40)}`, n, '', '!'),
    ],
    ['a run of @', (n) => repeatTo('@', n)],
    ['spaces then @', (n) => repeatTo(' @a', n)],
    ['addresses', (n) => repeatTo('a@b.', n)],
  ])('%s', (_shape, shape) => {
    expect(growth((text) => mentionAt(text, text.length), shape)).toBeLessThanOrEqual(MAX_GROWTH);
  });

  it('inserting before a long run of spaces', () => {
    const insert = (text: string) => insertMention(text, { start: 0, query: '' }, 1, 'AB');
    expect(growth(insert, (n) => repeatTo(' ', n, '@', 'x'))).toBeLessThanOrEqual(MAX_GROWTH);
  });
});
