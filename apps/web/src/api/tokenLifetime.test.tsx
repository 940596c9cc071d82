import { renewalDelayMs, tokenLifetimeSeconds } from './tokenLifetime';

const segment = (value: unknown) =>
  btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
const jwt = (claims: unknown) => `${segment({ alg: 'HS256' })}.${segment(claims)}.signature`;

describe('tokenLifetimeSeconds', () => {
  it.each([
    ['a JWT with iat and exp', jwt({ sub: 'u', iat: 1_000, exp: 1_900 }), 900],
    ['a payload that needs base64url padding', jwt({ iat: 1, exp: 3_601, s: 'ü?>' }), 3_600],
    ['no exp', jwt({ iat: 1_000 }), null],
    ['no iat', jwt({ exp: 1_000 }), null],
    ['exp before iat', jwt({ iat: 2_000, exp: 1_000 }), null],
    ['exp as a string', jwt({ iat: 1_000, exp: '1900' }), null],
    ['a payload that is not JSON', 'a.bm90IGpzb24.c', null],
    ['a payload that is null', jwt(null), null],
    ['not a JWT', 'access-1', null],
    ['two segments', 'a.b', null],
  ])('%s', (_case, token, expected) => {
    expect(tokenLifetimeSeconds(token)).toBe(expected);
  });
});

describe('renewalDelayMs', () => {
  it.each([
    ['15 minutes: two minutes ahead', 900, 780_000],
    ['an hour: two minutes ahead', 3_600, 3_480_000],
    ['5 minutes: a fifth ahead', 300, 240_000],
    ['a second: never sooner than a second', 1, 1_000],
  ])('%s', (_case, lifetime, expected) => {
    expect(renewalDelayMs(lifetime)).toBe(expected);
  });
});
