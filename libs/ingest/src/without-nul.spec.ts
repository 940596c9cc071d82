import { stripNul, withoutNul } from './without-nul';

describe('stripNul', () => {
  it.each([
    ['a string', 'a\u0000b', 'ab'],
    ['nested objects and arrays', { t: ['x\u0000', { y: 'z\u0000z' }] }, { t: ['x', { y: 'zz' }] }],
    ['keys', { 'k\u0000': 1 }, { k: 1 }],
    ['other values stay', { n: 1, b: true, z: null }, { n: 1, b: true, z: null }],
    [
      'half a surrogate pair',
      { t: 'a\ud800b', 'k\udc00': ['\ud83d\ude00'] },
      { t: 'a\ufffdb', 'k\ufffd': ['\ud83d\ude00'] },
    ],
  ])('%s', (_label, input, expected) => {
    expect(stripNul(input)).toEqual(expected);
  });

  it('answers the value itself when there is nothing to strip', () => {
    const raw = { t: ['x', { y: 'z 😀' }] };
    expect(stripNul(raw)).toBe(raw);
  });

  it('keeps the dates of an item', () => {
    const createdAt = new Date('2026-03-01T10:00:00Z');
    const item = withoutNul({
      externalId: '1',
      authorExternalId: 'a',
      authorHandle: '@a\u0000',
      authorName: null,
      text: 'hoi\u0000',
      createdAt,
      inReplyToExternalId: null,
      threadRootExternalId: null,
      visibility: 'public',
      language: null,
      attachments: [],
      raw: { text: 'hoi\u0000' },
    });
    expect(item).toMatchObject({ authorHandle: '@a', text: 'hoi', raw: { text: 'hoi' } });
    expect(item.createdAt).toBe(createdAt);
  });
});
