import { JwtService } from '@nestjs/jwt';
import { AccessTokens } from './access-tokens';

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';
const claims = { sub: 'user-1', org: 'org-1', sid: 'session-1' };
const tokens = new AccessTokens(
  new JwtService({ secret: SECRET, signOptions: { expiresIn: 900 } }),
);
const raw = new JwtService({ secret: SECRET });
const rightIssuer = { issuer: 'toonbank', audience: 'toonbank-api' };

describe('AccessTokens.verify', () => {
  it('accepts what it signed', async () => {
    expect(await tokens.verify(await tokens.sign(claims))).toEqual(claims);
  });

  it.each<[string, () => Promise<string>]>([
    ['no exp (it would never expire)', () => raw.signAsync(claims, rightIssuer)],
    ['an exp in the past', () => raw.signAsync(claims, { ...rightIssuer, expiresIn: -10 })],
    [
      'another issuer',
      () => raw.signAsync(claims, { issuer: 'x', audience: 'toonbank-api', expiresIn: 60 }),
    ],
    [
      'another audience',
      () => raw.signAsync(claims, { issuer: 'toonbank', audience: 'x', expiresIn: 60 }),
    ],
    [
      'another secret',
      () =>
        new JwtService({ secret: `${SECRET}!` }).signAsync(claims, {
          ...rightIssuer,
          expiresIn: 60,
        }),
    ],
    [
      'a claim missing',
      () => raw.signAsync({ sub: 'user-1', org: 'org-1' }, { ...rightIssuer, expiresIn: 60 }),
    ],
    [
      'a claim of the wrong type',
      () => raw.signAsync({ ...claims, sid: 7 }, { ...rightIssuer, expiresIn: 60 }),
    ],
    ['garbage', async () => 'not.a.token'],
  ])('refuses a token with %s', async (_case, make) => {
    expect(await tokens.verify(await make())).toBeNull();
  });
});

describe('AccessTokens.sign', () => {
  it('signs the same token for the same claims and issue time, its exp counted from that time', async () => {
    const issuedAt = new Date('2030-01-01T10:00:00.400Z');
    const token = await tokens.sign(claims, issuedAt);
    expect(await tokens.sign(claims, new Date('2030-01-01T10:00:00.900Z'))).toBe(token);
    const payload = raw.decode<{ iat: number; exp: number }>(token);
    expect(payload.iat).toBe(Date.parse('2030-01-01T10:00:00Z') / 1000);
    expect(payload.exp - payload.iat).toBe(900);
  });
});
