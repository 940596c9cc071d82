import {
  Ambiguous,
  AuthExpired,
  CredentialsInvalid,
  InvalidPayload,
  NetworkError,
  Permanent,
  RateLimited,
  TokenExpired,
  Transient,
  type ChannelError,
} from '@toonbank/channels';
import { failureOf, mayHaveArrivedAfter, provesNotArrived } from './send-failure';

const AT = new Date('2026-12-07T12:00:00.000Z');

describe('a failed send: did it reach the channel?', () => {
  it.each<[string, ChannelError, boolean, boolean]>([
    // what the channel answered, proves nothing arrived, the queue treats it as "may have arrived"
    ['a 4xx refusal (validation, a thread the channel refuses)', new Permanent('422'), true, false],
    ['refused credentials (401)', new AuthExpired('401'), true, false],
    ['an expired token, refused again after renewal', new TokenExpired('401'), true, false],
    ['credentials refused when connecting', new CredentialsInvalid('bad'), true, false],
    ['a rate limit (429)', new RateLimited(AT), true, false],
    ['an answer we could not read as a request', new InvalidPayload('shape'), true, false],
    [
      'a connection that never opened (refused, no such host)',
      new NetworkError('ECONNREFUSED', false),
      true,
      false,
    ],
    ['a timeout after the request left', new NetworkError('timeout', true), false, true],
    ['a reset mid-answer', new NetworkError('ECONNRESET', true), false, true],
    ['a 5xx (the post may be there behind a proxy)', new Transient('502'), false, false],
    ['an answer without the post’s id', new Ambiguous('no id'), false, true],
  ])('%s', (_, error, proves, queueMayHaveArrived) => {
    expect(provesNotArrived(error)).toBe(proves);
    expect(mayHaveArrivedAfter(error)).toBe(queueMayHaveArrived);
  });

  it.each<[string, boolean, ChannelError, string]>([
    ['a refusal of a first attempt', false, new Permanent('422'), 'not_sent'],
    ['a refusal after an attempt that may have arrived', true, new Permanent('422'), 'maybe_sent'],
    [
      'a connection never opened, first attempt',
      false,
      new NetworkError('refused', false),
      'not_sent',
    ],
    ['a 5xx on the last attempt', false, new Transient('503'), 'maybe_sent'],
    ['a timeout', false, new NetworkError('timeout', true), 'maybe_sent'],
    ['an ambiguous answer', false, new Ambiguous('no id'), 'maybe_sent'],
    ['refused credentials after a crash mid-send', true, new AuthExpired('401'), 'maybe_sent'],
  ])('failureOf: %s → %s', (_, earlier, error, expected) => {
    expect(failureOf(earlier, error)).toBe(expected);
  });
});
