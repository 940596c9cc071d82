import { rawJsonText } from './raw-json-text';

describe('rawJsonText', () => {
  it.each<[string, unknown]>([
    ['an object', { a: 1, b: 'twee', c: [true, null, { d: -1.5 }], e: {} }],
    ['an array', [1, 'x', [], [[]]]],
    ['escapes', { 'k"\n': 'NUL \u0000, lone \ud800, quote " and é😀' }],
    ['a string', 'plain'],
    ['null', null],
    ['a number', 42],
  ])('writes %s as JSON.stringify does', (_name, value) => {
    expect(rawJsonText(value)).toEqual({ text: JSON.stringify(value), truncated: false });
  });

  it('leaves out what JSON.stringify leaves out, and writes dates as it does', () => {
    const value = {
      gone: undefined,
      fn: () => 1,
      list: [undefined, () => 1, Number.NaN, Infinity],
      at: new Date('2026-01-02T03:04:05.000Z'),
    };
    expect(rawJsonText(value).text).toBe(JSON.stringify(value));
  });

  it('writes a payload nested 100,000 levels deep, which JSON.stringify cannot', () => {
    const depth = 100_000;
    const text = `${'{"a":['.repeat(depth)}1${']}'.repeat(depth)}`;
    const value: unknown = JSON.parse(text);
    expect(() => JSON.stringify(value)).toThrow(RangeError);
    expect(rawJsonText(value)).toEqual({ text, truncated: false });
  });

  it('cuts off at the cap in bytes of UTF-8, between characters, and says so', () => {
    const value = { text: 'é'.repeat(100) };
    const { text, truncated } = rawJsonText(value, 52);
    expect(truncated).toBe(true);
    expect(Buffer.byteLength(text)).toBe(51);
    expect(text).toBe(`{"text":"${'é'.repeat(21)}`); // 9 bytes, 21 two-byte letters; the 22nd would need 53
    expect(text).not.toContain('\ufffd');
    expect(rawJsonText(value, Buffer.byteLength(JSON.stringify(value))).truncated).toBe(false);
  });
});
