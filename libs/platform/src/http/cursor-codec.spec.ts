import { createHmac } from 'node:crypto';
import { ErrorCode } from '@toonbank/shared';
import { ApiError } from '../errors/api-error';
import { CursorCodec } from './cursor-codec';

type Position = Record<string, string | number | null>;

const KEY = 'k'.repeat(32);
const OTHER_KEY = 'o'.repeat(32);
const codec = new CursorCodec(KEY);

const POSITION = {
  createdAt: '2026-06-15T12:00:00.000Z',
  id: '6f1c2b9e-4c1a-4e8e-9a43-1f2d3c4b5a69',
};
const CURSOR = codec.encode(POSITION);
const [PAYLOAD, SIGNATURE] = CURSOR.split('.') as [string, string];

const b64 = (text: string) => Buffer.from(text).toString('base64url');
/** A cursor signed with KEY around any payload text (HMAC-SHA256, base64url). */
const signed = (text: string) => {
  const payload = b64(text);
  return `${payload}.${createHmac('sha256', KEY).update(payload).digest('base64url')}`;
};
/** The same string with one character swapped for another. */
const flip = (text: string, index: number) =>
  text.slice(0, index) + (text[index] === 'A' ? 'B' : 'A') + text.slice(index + 1);

function refusal(decode: () => unknown): ApiError {
  try {
    decode();
  } catch (error) {
    return error as ApiError;
  }
  throw new Error('expected the cursor to be refused');
}

describe('CursorCodec round trip', () => {
  it.each<[string, Position]>([
    ['a uuid', { id: '6f1c2b9e-4c1a-4e8e-9a43-1f2d3c4b5a69' }],
    ['a time and an id', POSITION],
    ['zero', { n: 0 }],
    ['negative and fractional numbers', { n: -1.5, m: 1e21 }],
    ['null', { at: null, id: 'x' }],
    ['an empty string', { name: '' }],
    ['unicode, quotes and dots', { name: 'Émile "Zola" . 😀 / + =' }],
    ['many keys', Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i]))],
  ])('decodes what it encoded: %s', (_label, position) => {
    const cursor = codec.encode(position);
    expect(codec.decode(cursor, Object.keys(position))).toEqual(position);
  });

  it('decodes a position with no keys asked for', () => {
    expect(codec.decode(codec.encode({}), [])).toEqual({});
  });

  it('returns keys beyond the ones asked for', () => {
    expect(codec.decode(CURSOR, ['id'])).toEqual(POSITION);
  });

  it.each<[string, Position]>([
    ['a time and an id', POSITION],
    ['unicode', { name: 'Émile 😀' }],
    ['a long value', { name: 'x'.repeat(500) }],
  ])('issues URL-safe cursors with one dot: %s', (_label, position) => {
    expect(codec.encode(position)).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });

  it('is deterministic for one key and differs between keys', () => {
    expect(codec.encode(POSITION)).toBe(CURSOR);
    expect(new CursorCodec(KEY).encode(POSITION)).toBe(CURSOR);
    expect(new CursorCodec(OTHER_KEY).encode(POSITION)).not.toBe(CURSOR);
  });

  it('accepts a cursor from another instance with the same key', () => {
    expect(new CursorCodec(KEY).decode(CURSOR, ['createdAt', 'id'])).toEqual(POSITION);
  });
});

describe('CursorCodec refuses cursors it did not issue', () => {
  const tamperedPosition = b64(JSON.stringify({ ...POSITION, id: 'someone-else' }));

  it.each<[string, string, string[]]>([
    ['a payload swapped for another', `${tamperedPosition}.${SIGNATURE}`, ['createdAt', 'id']],
    ['a payload with its first character changed', `${flip(PAYLOAD, 0)}.${SIGNATURE}`, ['id']],
    [
      'a payload with its last character changed',
      `${flip(PAYLOAD, PAYLOAD.length - 1)}.${SIGNATURE}`,
      ['id'],
    ],
    ['a payload cut short', `${PAYLOAD.slice(0, -4)}.${SIGNATURE}`, ['id']],
    ['a signature with its first character changed', `${PAYLOAD}.${flip(SIGNATURE, 0)}`, ['id']],
    [
      'a signature with its last character changed',
      `${PAYLOAD}.${flip(SIGNATURE, SIGNATURE.length - 1)}`,
      ['id'],
    ],
    ['a signature cut short', `${PAYLOAD}.${SIGNATURE.slice(0, -1)}`, ['id']],
    ['a signature made longer', `${PAYLOAD}.${SIGNATURE}A`, ['id']],
    [
      'a signature in standard base64',
      `${PAYLOAD}.${Buffer.from(SIGNATURE, 'base64url').toString('base64')}`,
      ['id'],
    ],
    ['payload and signature swapped', `${SIGNATURE}.${PAYLOAD}`, ['id']],
    ['a cursor from another key', new CursorCodec(OTHER_KEY).encode(POSITION), ['createdAt', 'id']],
    ['an unsigned payload', PAYLOAD, ['id']],
    ['the empty string', '', []],
    ['garbage', 'garbage', []],
    ['a lone dot', '.', []],
    ['two dots', '..', []],
    ['only a payload and a dot', `${PAYLOAD}.`, []],
    ['only a dot and a signature', `.${SIGNATURE}`, []],
    ['symbols', '%%%.$$$', []],
    ['plain JSON', JSON.stringify(POSITION), []],
    ['an extra dot at the end', `${CURSOR}.`, ['id']],
    ['an extra part', `${CURSOR}.extra`, ['id']],
    ['an extra dot in the middle', `${PAYLOAD}..${SIGNATURE}`, ['id']],
    ['the cursor twice', `${CURSOR}.${CURSOR}`, ['id']],
    ['a signed payload that is not JSON', signed('not json'), []],
    ['a signed JSON number', signed('42'), []],
    ['a signed JSON string', signed('"id"'), []],
    ['a signed JSON null', signed('null'), []],
    ['a signed position without the asked key', signed('{"createdAt":"x"}'), ['createdAt', 'id']],
    ['a position without one of the keys', codec.encode({ id: 'x' }), ['createdAt', 'id']],
    ['a position without any of the keys', codec.encode({}), ['id']],
  ])('%s → 400 validation.failed on cursor', (_label, cursor, keys) => {
    const error = refusal(() => codec.decode(cursor, keys));
    expect(error).toBeInstanceOf(ApiError);
    expect(error.getStatus()).toBe(400);
    expect(error.toBody()).toEqual({
      statusCode: 400,
      code: ErrorCode.ValidationFailed,
      message: 'The cursor was not issued by this API.',
      details: { fields: ['cursor'], errors: { cursor: ['cursor is not valid'] } },
    });
  });

  it('a cursor of this key is refused by another key', () => {
    const error = refusal(() => new CursorCodec(OTHER_KEY).decode(CURSOR, ['id']));
    expect(error).toBeInstanceOf(ApiError);
    expect(error.code).toBe('validation.failed');
    expect(error.details).toEqual({
      fields: ['cursor'],
      errors: { cursor: ['cursor is not valid'] },
    });
  });
});
