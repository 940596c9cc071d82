import {
  CredentialsInvalid,
  Permanent,
  RateLimited,
  TokenExpired,
  Transient,
  type ChannelError,
} from '../../errors';
import type { HttpAnswer } from '../../http/safe-http';
import {
  answeredId,
  characterCount,
  classifyGraphFailure,
  idPath,
  isThrottleCode,
  throttleRetryAt,
  timeOf,
  type GraphPurpose,
} from './graph';

const now = new Date('2025-03-03T09:00:00Z');
const minutes = (m: number) => new Date(now.getTime() + m * 60_000);

function answer(
  status: number,
  error?: Record<string, unknown>,
  headers: Record<string, string> = {},
): HttpAnswer {
  const json = error ? { error } : undefined;
  return { status, headers, json, text: json ? JSON.stringify(json) : '' };
}

describe('isThrottleCode', () => {
  it.each([
    [4, true],
    [17, true],
    [32, true],
    [613, true],
    [80001, true],
    [80014, true],
    [80000, false],
    [80015, false],
    [100, false],
    [190, false],
    [null, false],
  ])('%s → %s', (code, expected) => expect(isThrottleCode(code)).toBe(expected));
});

describe('throttleRetryAt', () => {
  it.each<[string, Record<string, string>, Date]>([
    [
      'the BUC estimate in minutes',
      {
        'x-business-use-case-usage':
          '{"1029384756":[{"type":"pages","call_count":100,"estimated_time_to_regain_access":9}]}',
      },
      minutes(9),
    ],
    [
      'the largest of several BUC entries',
      {
        'x-business-use-case-usage':
          '{"1":[{"estimated_time_to_regain_access":2},{"estimated_time_to_regain_access":20}],"2":[{"estimated_time_to_regain_access":5}]}',
      },
      minutes(20),
    ],
    [
      'X-Page-Usage with an estimate',
      { 'x-page-usage': '{"call_count":100,"estimated_time_to_regain_access":3}' },
      minutes(3),
    ],
    [
      'a zero estimate → a few minutes',
      { 'x-business-use-case-usage': '{"1":[{"estimated_time_to_regain_access":0}]}' },
      minutes(5),
    ],
    ['only X-App-Usage → a few minutes', { 'x-app-usage': '{"call_count":100}' }, minutes(5)],
    [
      'Retry-After seconds when no estimate',
      { 'retry-after': '90' },
      new Date(now.getTime() + 90_000),
    ],
    ['malformed JSON → a few minutes', { 'x-business-use-case-usage': '{not json' }, minutes(5)],
    [
      'an absurd estimate is capped at a day',
      { 'x-business-use-case-usage': '{"1":[{"estimated_time_to_regain_access":999999}]}' },
      minutes(24 * 60),
    ],
    ['nothing → a few minutes', {}, minutes(5)],
  ])('%s', (_name, headers, expected) => {
    expect(throttleRetryAt(headers, now)).toEqual(expected);
  });
});

describe('classifyGraphFailure', () => {
  const buc = { 'x-business-use-case-usage': '{"1":[{"estimated_time_to_regain_access":4}]}' };
  it.each<[string, HttpAnswer, GraphPurpose, new (...args: never[]) => ChannelError, string]>([
    [
      'code 32 on HTTP 400',
      answer(400, { code: 32, message: '(#32) Page request limit reached' }, buc),
      'send',
      RateLimited,
      '',
    ],
    [
      'code 4 on HTTP 403',
      answer(403, { code: 4, message: '(#4) Application request limit reached' }),
      'send',
      RateLimited,
      '',
    ],
    ['a 429 without body', answer(429), 'verify', RateLimited, ''],
    ['a throttle during verify', answer(400, { code: 80001 }), 'verify', RateLimited, ''],
    [
      '190 on send',
      answer(400, { code: 190, error_subcode: 463, message: 'Session has expired' }),
      'send',
      TokenExpired,
      '190/463',
    ],
    [
      '190 on verify',
      answer(400, { code: 190, message: 'Invalid OAuth access token' }),
      'verify',
      CredentialsInvalid,
      '',
    ],
    [
      '102 on send',
      answer(400, { code: 102, message: 'Session key invalid' }),
      'send',
      TokenExpired,
      '',
    ],
    ['a bare 401 on send', answer(401), 'send', TokenExpired, 'HTTP 401'],
    ['a bare 401 on verify', answer(401), 'verify', CredentialsInvalid, ''],
    [
      'a 500',
      answer(500, { code: 1, message: 'An unknown error has occurred.' }),
      'send',
      Transient,
      '',
    ],
    ['a 503 without body', answer(503), 'send', Transient, ''],
    [
      'is_transient on a 400',
      answer(400, { code: 2, is_transient: true, message: 'Service temporarily unavailable' }),
      'send',
      Transient,
      '',
    ],
    [
      'a permission error on send',
      answer(403, { code: 10, message: '(#10) Permission denied' }),
      'send',
      Permanent,
      '(#10) Permission denied',
    ],
    [
      'a permission error on verify',
      answer(403, { code: 200, message: '(#200) Requires pages_read_engagement' }),
      'verify',
      CredentialsInvalid,
      '',
    ],
    [
      'an unknown object on send',
      answer(400, { code: 100, error_subcode: 33, message: 'Unsupported post request' }),
      'send',
      Permanent,
      '100/33',
    ],
    ['a 404 page that is not Graph', answer(404), 'send', Permanent, 'HTTP 404'],
    ['a string code', answer(400, { code: '613' }), 'send', RateLimited, ''],
  ])('%s', (_name, failed, purpose, kind, text) => {
    const error = classifyGraphFailure(failed, purpose, now);
    expect(error).toBeInstanceOf(kind);
    if (text) expect(error.message).toContain(text);
  });

  it('uses the BUC estimate for the retry time', () => {
    const error = classifyGraphFailure(
      answer(400, { code: 80001 }, buc),
      'send',
      now,
    ) as RateLimited;
    expect(error.retryAt).toEqual(minutes(4));
  });
});

describe('helpers', () => {
  it('reads payload times in seconds, milliseconds and ISO', () => {
    expect(timeOf(1740823199)).toEqual(new Date(1740823199_000));
    expect(timeOf(1740823399000)).toEqual(new Date(1740823399000));
    expect(timeOf('1740823199')).toEqual(new Date(1740823199_000));
    expect(timeOf('2025-03-01T10:00:00+0000')).toEqual(new Date('2025-03-01T10:00:00Z'));
    for (const bad of [undefined, null, '', 'gisteren', -1, 0, NaN, {}])
      expect(timeOf(bad)).toBeNull();
  });

  it('encodes ids so a payload cannot add a path', () => {
    expect(idPath('1029_555_777', 'comments')).toBe('/1029_555_777/comments');
    expect(idPath('../me/feed?x=1', 'comments')).toBe('/..%2Fme%2Ffeed%3Fx%3D1/comments');
  });

  it('counts characters as code points', () => {
    expect(characterCount('👍🏽ab')).toBe(4);
    expect(characterCount('')).toBe(0);
  });

  it('takes the answered id or calls the send Ambiguous', () => {
    expect(answeredId({ id: '1_2' }, 'id')).toBe('1_2');
    expect(answeredId({ message_id: 'm_1' }, 'message_id')).toBe('m_1');
    expect(() => answeredId({ success: true }, 'id')).toThrow('may be posted');
  });
});
