import { REFRESH_COOKIE_PATH } from '@toonbank/shared';
import { refreshCookieAttributes, refreshCookieMaxAge } from './refresh-cookie-attributes';

describe('refreshCookieAttributes', () => {
  it.each([
    ['production', true],
    ['development', false],
    ['test', false],
  ] as const)(
    'in %s: HttpOnly, SameSite=Strict, the auth path, Secure %s',
    (environment, secure) => {
      expect(refreshCookieAttributes(environment)).toEqual({
        httpOnly: true,
        sameSite: 'strict',
        secure,
        path: REFRESH_COOKIE_PATH,
      });
    },
  );

  it('is scoped to the auth routes', () => {
    expect(REFRESH_COOKIE_PATH).toBe('/api/auth');
  });
});

describe('refreshCookieMaxAge: as long as the refresh token family lives', () => {
  const NOW = new Date('2026-06-15T12:00:00.000Z');
  const at = (ms: number) => new Date(NOW.getTime() + ms);

  it.each([
    ['thirty days left', 30 * 24 * 3_600_000, 30 * 24 * 3_600_000],
    ['one millisecond left', 1, 1],
    ['expiring now', 0, 0],
    ['already expired: never negative', -60_000, 0],
  ])('%s', (_, left, expected) => {
    expect(refreshCookieMaxAge(at(left), NOW)).toBe(expected);
  });
});
