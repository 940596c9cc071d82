import { isTid, parseTid, TID_ALPHABET, tidFor, tidFromParts } from './tid';

describe('AT Protocol TIDs', () => {
  const at = new Date('2026-03-01T10:00:00.123Z');

  it.each([
    ['3jzfcijpj2z2a', true], // the atproto spec's example
    ['7777777777777', true],
    ['3zzzzzzzzzzzz', true],
    ['2222222222222', true],
    ['3jzfcijpj2z21', false], // 1 is not base32-sortable
    ['kjzfcijpj2z2a', false], // top bit set
    ['3jzfcijpj2z2', false], // 12 characters
    ['3jzfcijpj2z2aa', false], // 14 characters
    ['3JZFCIJPJ2Z2A', false], // upper case
    ['', false],
  ])('isTid(%j) is %s', (value, valid) => {
    expect(isTid(value)).toBe(valid);
  });

  it('encodes 53 bits of microseconds and a 10-bit clock id, and decodes them again', () => {
    expect(tidFromParts(0n, 0)).toBe('2222222222222');
    const micros = 1_772_359_200_123_456n;
    const tid = tidFromParts(micros, 1023);
    expect(isTid(tid)).toBe(true);
    expect(parseTid(tid)).toEqual({
      micros,
      clockId: 1023,
      at: new Date(Number(micros / 1000n)),
    });
    expect(() => tidFromParts(1n << 53n, 0)).toThrow(RangeError);
    expect(() => tidFromParts(0n, 1024)).toThrow(RangeError);
  });

  it('is deterministic from (replyId, time), and differs between replies', () => {
    const key = tidFor('reply-1', at);
    expect(tidFor('reply-1', new Date(at))).toBe(key);
    expect(isTid(key)).toBe(true);
    expect(parseTid(key).at.toISOString()).toBe(at.toISOString());
    const keys = new Set(Array.from({ length: 500 }, (_, i) => tidFor(`reply-${i}`, at)));
    expect(keys.size).toBe(500);
  });

  it('sorts as text in time order', () => {
    const times = [0, 1, 999, 1000, 86_400_000, 1_000_000_000_000].map(
      (ms) => new Date(at.getTime() + ms),
    );
    const keys = times.map((time) => tidFor('same-reply', time));
    expect([...keys].sort()).toEqual(keys);
    for (const key of keys) for (const char of key) expect(TID_ALPHABET).toContain(char);
  });
});
