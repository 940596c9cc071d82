import { growth, MAX_GROWTH, repeatTo } from '../../../tests/support/linearity';
import { mentionsIn } from './mentions';

describe('mentionsIn', () => {
  it.each<[string, string[], string[]]>([
    // [text, initials, emails]
    ['Kun jij even kijken @AB?', ['AB'], []],
    ['@ab en @Ab en @AB', ['AB'], []],
    ['Vraag het @AB.', ['AB'], []],
    ['@AB, @CD: graag', ['AB', 'CD'], []],
    ['(@AB)', ['AB'], []],
    ['Vraag het @anna@demo.test.', [], ['anna@demo.test']],
    ['@Anna.de.Vries@Demo.Test kijk jij?', [], ['anna.de.vries@demo.test']],
    ['mail naar klant@example.com', [], []],
    ['^AB', [], []],
    ['@ alleen een apenstaartje', [], []],
    ['@@AB', [], []],
    ['@ÉB en @éb', ['ÉB'], []],
    ['geen vermelding', [], []],
  ])('%p → initials %p, e-mails %p', (text, initials, emails) => {
    expect(mentionsIn(text)).toEqual({ initials, emails });
  });
});

describe('mentionsIn in linear time (issue 11)', () => {
  it.each<[string, (length: number) => string]>([
    ['a mention with a run of dots inside', (n) => repeatTo('.', n, '@a', 'b')],
    ['a mention ending in dots', (n) => repeatTo('.', n, '@a')],
    ['an address without a domain', (n) => repeatTo('a', n, '@a@')],
    ['addresses that never end in a domain', (n) => repeatTo(' @a@a-', n)],
    ['dotted domains without an end', (n) => repeatTo('a.', n, '@a@')],
    ['a run of @', (n) => repeatTo('@', n)],
    ['many mentions', (n) => repeatTo('@AB. ', n)],
  ])('%s', (_shape, shape) => {
    expect(growth(mentionsIn, shape)).toBeLessThanOrEqual(MAX_GROWTH);
  });
});
