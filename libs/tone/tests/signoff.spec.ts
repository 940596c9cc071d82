import { DEFAULT_SIGNOFF_PATTERN, SIGNOFF_PATTERN_MAX_LENGTH } from '@toonbank/shared';
import { compileSignoffPattern, findSignoff, SignoffPatternError } from '@toonbank/tone';
import { found, type Found, type ProfileOverrides } from './profile';

describe('compileSignoffPattern', () => {
  it('compiles the default and caches it', () => {
    expect(compileSignoffPattern(DEFAULT_SIGNOFF_PATTERN)).toBe(
      compileSignoffPattern(DEFAULT_SIGNOFF_PATTERN),
    );
  });

  const invalid: [string, RegExp][] = [
    ['(a', /not a valid regular expression/],
    ['(a)\\1', /not a valid regular expression/],
    ['(?=a)b', /not a valid regular expression/],
    ['a'.repeat(SIGNOFF_PATTERN_MAX_LENGTH + 1), /at most 100/],
  ];
  it.each(invalid)('rejects %j', (pattern, message) => {
    expect(() => compileSignoffPattern(pattern)).toThrow(SignoffPatternError);
    expect(() => compileSignoffPattern(pattern)).toThrow(message);
  });

  it('accepts a pattern of exactly the maximum length', () => {
    expect(() => compileSignoffPattern('a'.repeat(SIGNOFF_PATTERN_MAX_LENGTH))).not.toThrow();
  });

  it('runs in linear time on a pathological pattern', () => {
    const started = Date.now();
    const pattern = compileSignoffPattern('(a+)+b');
    expect(findSignoff('a'.repeat(10_000) + '!', pattern)).toBeNull();
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('findSignoff matches at the end of the trimmed text', () => {
    const text = '  Groet 😀 ^AB \n ';
    const range = findSignoff(text, compileSignoffPattern(DEFAULT_SIGNOFF_PATTERN));
    expect(range && text.slice(range.start, range.end)).toBe('^AB');
  });
});

describe('signoff.missing', () => {
  const rows: [string, ProfileOverrides, Found[]][] = [
    ['Graag gedaan. ^AB', {}, []],
    ['Graag gedaan.\n^ABC', {}, []],
    ['Graag gedaan. ^AB  \n', {}, []],
    ['Graag gedaan.', {}, [['signoff.missing', 'gedaan.']]],
    ['Graag gedaan. ^ab', {}, [['signoff.missing', '^ab']]],
    ['Graag gedaan. ^ABCD', {}, [['signoff.missing', '^ABCD']]],
    ['^AB Graag gedaan.', {}, [['signoff.missing', 'gedaan.']]],
    ['', {}, [['signoff.missing', '']]],
    ['Graag gedaan.', { signoff: { required: false } }, []],
    ['Graag gedaan. - Sam', { signoff: { pattern: '- ?[A-Z][a-z]+' } }, []],
    [
      'Graag gedaan. - Sam.',
      { signoff: { pattern: '- ?[A-Z][a-z]+' } },
      [['signoff.missing', 'Sam.']],
    ],
    // A broken stored pattern falls back to the default.
    ['Graag gedaan. ^AB', { signoff: { pattern: '(' } }, []],
  ];
  it.each(rows)('%j %j', (text, overrides, expected) => {
    expect(found(text, overrides)).toEqual(expected);
  });
});
