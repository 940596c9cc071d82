import { createHash } from 'node:crypto';

/**
 * AT Protocol TIDs ("timestamp identifiers", the record keys of posts): a 64-bit integer with
 * the top bit 0, then 53 bits of microseconds since the UNIX epoch, then a 10-bit clock id,
 * written as 13 characters of base32-sortable (so that string order is time order).
 */
export const TID_ALPHABET = '234567abcdefghijklmnopqrstuvwxyz';

const TID_PATTERN = /^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/;
const MAX_MICROS = (1n << 53n) - 1n;

/** True when `value` is a syntactically valid TID. */
export function isTid(value: unknown): value is string {
  return typeof value === 'string' && TID_PATTERN.test(value);
}

/** The TID of a timestamp (microseconds since the epoch) and a clock id (0–1023). */
export function tidFromParts(micros: bigint, clockId: number): string {
  if (micros < 0n || micros > MAX_MICROS) throw new RangeError('TID time out of range');
  if (!Number.isInteger(clockId) || clockId < 0 || clockId > 1023)
    throw new RangeError('TID clock id must be 0–1023');
  let value = (micros << 10n) | BigInt(clockId);
  let out = '';
  for (let i = 0; i < 13; i += 1) {
    out = TID_ALPHABET[Number(value & 31n)] + out;
    value >>= 5n;
  }
  return out;
}

/** The parts of a TID (throws on an invalid one). */
export function parseTid(tid: string): { micros: bigint; clockId: number; at: Date } {
  if (!isTid(tid)) throw new RangeError(`not a TID: ${tid}`);
  let value = 0n;
  for (const char of tid) value = (value << 5n) | BigInt(TID_ALPHABET.indexOf(char));
  const micros = value >> 10n;
  return { micros, clockId: Number(value & 1023n), at: new Date(Number(micros / 1000n)) };
}

/**
 * The record key of a reply, derived before its first attempt: the time it was derived (to the
 * millisecond) plus sub-millisecond digits and a clock id taken from a hash of the reply's id,
 * so the same (replyId, time) always gives the same TID and two replies in the same
 * millisecond almost never collide (2^20 choices).
 */
export function tidFor(replyId: string, at: Date): string {
  const ms = at.getTime();
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError('TID time out of range');
  const hash = createHash('sha256').update(replyId, 'utf8').digest();
  const extraMicros = hash.readUInt16BE(0) % 1000;
  const clockId = hash.readUInt16BE(2) & 1023;
  return tidFromParts(BigInt(ms) * 1000n + BigInt(extraMicros), clockId);
}
