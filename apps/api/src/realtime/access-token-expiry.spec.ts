import { accessTokenExpiry } from './access-token-expiry';

const tokenWith = (payload: unknown) =>
  [
    Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url'),
    Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)).toString(
      'base64url',
    ),
    'signature',
  ].join('.');

describe('accessTokenExpiry', () => {
  it.each([
    ['exp in seconds', tokenWith({ sub: 'u', exp: 1_800_000_000 }), 1_800_000_000_000],
    ['no exp', tokenWith({ sub: 'u' }), null],
    ['exp as text', tokenWith({ exp: '1800000000' }), null],
    ['exp null', tokenWith({ exp: null }), null],
    ['a payload that is not JSON', tokenWith('not json'), null],
    ['a payload that is JSON null', tokenWith('null'), null],
    ['no payload part', 'only-one-part', null],
    ['an empty string', '', null],
  ])('%s', (_what, token, expected) => {
    expect(accessTokenExpiry(token)).toBe(expected);
  });
});
