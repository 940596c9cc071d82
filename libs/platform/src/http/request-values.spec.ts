import {
  fieldNestedBeyond,
  MAX_BODY_DEPTH,
  storableJson,
  storableText,
  unstorableTextFields,
  unstorableTextReason,
} from './request-values';

const NUL = '\u0000';
const HIGH = '\ud83d'; // the first half of 😀
const LOW = '\ude00'; // the second half

/** `depth` arrays inside each other, the innermost empty. */
const nestedArrays = (depth: number): unknown => {
  let value: unknown = [];
  for (let level = 1; level < depth; level++) value = [value];
  return value;
};

describe('unstorableTextReason', () => {
  it.each<[string, string, boolean]>([
    ['plain text', 'Goedemorgen', false],
    ['an empty string', '', false],
    ['a whole surrogate pair (an emoji)', '😀', false],
    ['U+FFFD itself', '\uFFFD', false],
    ['other control characters', '\u0001\t\n\u001f', false],
    ['a NUL', `a${NUL}b`, true],
    ['only a NUL', NUL, true],
    ['a lone high surrogate', `a${HIGH}`, true],
    ['a lone low surrogate', `${LOW}a`, true],
    ['the halves in the wrong order', `${LOW}${HIGH}`, true],
  ])('%s', (_label, text, refused) => {
    expect(unstorableTextReason(text) !== undefined).toBe(refused);
  });
});

describe('unstorableTextFields', () => {
  it.each<[string, unknown, string | undefined, string[]]>([
    ['a clean body', { name: 'Anna', languages: ['nl'], capacity: 3 }, undefined, []],
    ['a top-level field', { name: `A${NUL}`, email: 'a@b.test' }, undefined, ['name']],
    [
      'a nested field',
      { addressForm: { perChannel: { x: HIGH } } },
      undefined,
      ['addressForm.perChannel.x'],
    ],
    ['an array item', { labels: ['ok', `b${LOW}`] }, undefined, ['labels.1']],
    [
      'an object in an array',
      { rows: [{ phrase: 'ok' }, { phrase: NUL }] },
      undefined,
      ['rows.1.phrase'],
    ],
    [
      'a key (shown with U+FFFD)',
      { variables: { [`k${NUL}`]: 'v' } },
      undefined,
      ['variables.k\uFFFD'],
    ],
    ['several fields', { a: NUL, b: 'ok', c: { d: HIGH } }, undefined, ['a', 'c.d']],
    ['a query parameter named by the caller', `x${NUL}`, 'q', ['q']],
    ['a whole query', { q: NUL, customer: 'ok' }, undefined, ['q']],
    [
      'numbers, booleans, null and dates',
      { a: 1, b: true, c: null, d: new Date(0) },
      undefined,
      [],
    ],
    ['a bare string body', NUL, undefined, ['(body)']],
  ])('%s', (_label, value, root, fields) => {
    expect(Object.keys(unstorableTextFields(value, root))).toEqual(fields);
  });

  it('says why', () => {
    expect(unstorableTextFields({ a: NUL, b: HIGH })).toEqual({
      a: ['a must not contain the NUL character (U+0000)'],
      b: ['b must not contain half a UTF-16 surrogate pair'],
    });
  });

  it('names at most the limit', () => {
    const body = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`f${i}`, NUL]));
    expect(Object.keys(unstorableTextFields(body))).toHaveLength(20);
  });

  it('walks 100,000 levels without overflowing the stack', () => {
    expect(Object.keys(unstorableTextFields({ deep: nestedArrays(100_000) }))).toEqual([]);
  });
});

describe('fieldNestedBeyond', () => {
  it.each<[string, unknown, number, string | undefined]>([
    ['a flat body', { a: 1, b: 'x' }, 1, undefined],
    ['exactly the limit', { a: { b: { c: 1 } } }, 3, undefined],
    ['one level over', { a: { b: { c: {} } } }, 3, 'a'],
    ['over in an array', { ok: [], deep: [[[]]] }, 3, 'deep'],
    ['an array body: its item', [[[[]]]], 3, '0'],
    ['the body itself too deep', {}, 0, ''],
    ['strings do not count', { a: { b: 'text' } }, 2, undefined],
    [
      'businessHours at the real limit',
      { businessHours: { mon: [['08:00', '20:00']] } },
      MAX_BODY_DEPTH,
      undefined,
    ],
    ['3,000 levels', { email: nestedArrays(3_000) }, MAX_BODY_DEPTH, 'email'],
    ['100,000 levels', { email: nestedArrays(100_000) }, MAX_BODY_DEPTH, 'email'],
    ['not an object', 'text', 1, undefined],
    ['nothing', undefined, 1, undefined],
  ])('%s', (_label, value, maxDepth, field) => {
    expect(fieldNestedBeyond(value, maxDepth)).toBe(field);
  });
});

describe('storableText and storableJson', () => {
  it.each<[string, string, string]>([
    ['clean text is kept', 'Goedemorgen 😀', 'Goedemorgen 😀'],
    ['a NUL', `a${NUL}b`, 'a\uFFFDb'],
    ['a lone high surrogate', `a${HIGH}b`, 'a\uFFFDb'],
    ['a lone low surrogate', `${LOW}`, '\uFFFD'],
  ])('%s', (_label, text, expected) => {
    expect(storableText(text)).toBe(expected);
  });

  it('repairs every string and key of a snapshot, keeping dates and numbers', () => {
    const at = new Date(0);
    expect(storableJson({ [`n${NUL}`]: [`a${HIGH}`, 1, null], at, nested: { b: LOW } })).toEqual({
      'n\uFFFD': ['a\uFFFD', 1, null],
      at,
      nested: { b: '\uFFFD' },
    });
  });

  it('returns the very value when nothing needs repair', () => {
    const snapshot = { name: 'Anna', languages: ['nl'], at: new Date(0) };
    expect(storableJson(snapshot)).toBe(snapshot);
    expect(storableJson(null)).toBeNull();
  });
});
