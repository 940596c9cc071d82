import { initialsOf } from './initials';

describe('initialsOf', () => {
  it.each<[string, string, string]>([
    ['first and last word', 'Anna de Vries', 'AV'],
    ['two words', 'Bram Bakker', 'BB'],
    ['many words', 'Johannes Cornelis van der Berg', 'JB'],
    ['a single name', 'Anna', 'A'],
    ['a single letter', 'x', 'X'],
    ['lower case', 'anna de vries', 'AV'],
    ['upper case', 'ANNA DE VRIES', 'AV'],
    ['extra spaces between words', 'Anna    de   Vries', 'AV'],
    ['leading and trailing spaces', '   Anna de Vries   ', 'AV'],
    ['tabs and newlines', '\tAnna\nde\tVries\n', 'AV'],
    ['non-breaking spaces', 'Anna\u00a0Vries', 'AV'],
    ['an accented first letter', 'Émile Zola', 'ÉZ'],
    ['accented lower case', 'ólafur arnalds', 'ÓA'],
    ['a last name with an accent', 'Zoë Ørsted', 'ZØ'],
    ['Cyrillic', 'Ольга Петрова', 'ОП'],
    ['Greek', 'νίκος παππάς', 'ΝΠ'],
    ['letters outside the BMP (surrogate pairs)', '𐐨𐐯 𐐶𐐮', '𐐀𐐎'],
    ['a hyphenated last name', 'Anna Smit-Jansen', 'AS'],
    ['an apostrophe inside a word', "Sinéad O'Connor", 'SO'],
    ['a Dutch tussenvoegsel with an apostrophe', "Gerard 't Hooft", 'GH'],
    ['a leading dash word', '- Anna de Vries', 'AV'],
    ['a leading number', '1 Anna Bakker', 'AB'],
    ['a trailing number', 'Anna Bakker 2', 'AB'],
    ['a trailing emoji', 'Anna Bakker 😀', 'AB'],
    ['a leading emoji', '😀 Anna Bakker', 'AB'],
    ['a word in brackets in the middle', 'Anna (Ops) Bakker', 'AB'],
    ['only a non-letter word and a name', '# Bakker', 'B'],
    ['digits only', '123', ''],
    ['symbols only', '-- ## !!', ''],
    ['the empty string', '', ''],
    ['only spaces', '    ', ''],
  ])('%s: %p → %p', (_label, name, expected) => {
    expect(initialsOf(name)).toBe(expected);
  });

  // A name typed on some systems arrives decomposed: "E" followed by a combining accent.
  // Its initial should still carry the accent, as "Émile Zola" does.
  it('keeps the accent of a decomposed (NFD) first letter: "E\\u0301mile Zola" → "ÉZ"', () => {
    expect(initialsOf('E\u0301mile Zola').normalize('NFC')).toBe('ÉZ');
  });

  it.each<[string]>([['Anna de Vries'], ['Émile Zola'], ['Ольга Петрова'], ['x']])(
    'gives at most two characters, all upper case: %p',
    (name) => {
      const initials = initialsOf(name);
      expect(Array.from(initials).length).toBeLessThanOrEqual(2);
      expect(initials).toBe(initials.toUpperCase());
    },
  );
});
