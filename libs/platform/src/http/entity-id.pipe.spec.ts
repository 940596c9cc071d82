import { EntityIdPipe, NIL_UUID } from './entity-id.pipe';

const pipe = new EntityIdPipe();
const V4 = '6f1c2b9e-4c1a-4e8e-9a43-1f2d3c4b5a69';

describe('EntityIdPipe', () => {
  it('NIL_UUID is the nil UUID', () => {
    expect(NIL_UUID).toBe('00000000-0000-0000-0000-000000000000');
  });

  it.each<[string, string, string]>([
    ['a lower-case v4 uuid', V4, V4],
    ['an upper-case v4 uuid', V4.toUpperCase(), V4],
    ['a mixed-case v4 uuid', '6F1c2B9e-4C1a-4E8e-9A43-1f2D3c4B5a69', V4],
    ['a v1 uuid', 'c232ab00-9414-11ec-b3c8-9f6bdeced846', 'c232ab00-9414-11ec-b3c8-9f6bdeced846'],
    ['a v7 uuid', '018f3a5c-7b2e-7c3d-8e4f-5a6b7c8d9e0f', '018f3a5c-7b2e-7c3d-8e4f-5a6b7c8d9e0f'],
    [
      'an upper-case v7 uuid',
      '018F3A5C-7B2E-7C3D-8E4F-5A6B7C8D9E0F',
      '018f3a5c-7b2e-7c3d-8e4f-5a6b7c8d9e0f',
    ],
    ['the nil uuid', NIL_UUID, NIL_UUID],
    [
      'the max uuid',
      'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
      'ffffffff-ffff-ffff-ffff-ffffffffffff',
    ],
  ])('keeps %s, in lower case', (_label, value, expected) => {
    expect(pipe.transform(value)).toBe(expected);
  });

  it.each<[string, unknown]>([
    ['the empty string', ''],
    ['a word', 'abc'],
    ['a number as text', '123'],
    ['a uuid without dashes', V4.replace(/-/g, '')],
    ['a uuid in braces', `{${V4}}`],
    ['a urn', `urn:uuid:${V4}`],
    ['a uuid with a leading space', ` ${V4}`],
    ['a uuid with a trailing space', `${V4} `],
    ['a uuid with a trailing newline', `${V4}\n`],
    ['a uuid one character short', V4.slice(0, -1)],
    ['a uuid one character long', `${V4}0`],
    ['a uuid with a non-hex character', `${V4.slice(0, -1)}g`],
    ['a uuid with dashes in the wrong places', '6f1c2b9e4-c1a-4e8e-9a43-1f2d3c4b5a69'],
    ['two uuids', `${V4},${V4}`],
    ['a path traversal', '../../etc/passwd'],
    ['an SQL injection', `${V4}' OR '1'='1`],
    ['the text undefined', 'undefined'],
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
    ['an object', { id: V4 }],
    ['an array', [V4]],
  ])('swaps %s for the nil uuid', (_label, value) => {
    expect(pipe.transform(value as string)).toBe(NIL_UUID);
  });
});
