import { growth, MAX_GROWTH, repeatTo } from '../../../../tests/support/linearity';
import { cookieValue } from './cookies';

describe('cookieValue', () => {
  it.each([
    ['no header', undefined, undefined],
    ['an empty header', '', undefined],
    ['the only cookie', 'toonbank_refresh=abc', 'abc'],
    ['among others, with spaces', 'a=1; toonbank_refresh=abc ;b=2', 'abc'],
    ['a name that only ends like it', 'xtoonbank_refresh=no; toonbank_refresh=yes', 'yes'],
    ['a name that only begins like it', 'toonbank_refresh_old=no', undefined],
    ['the first of two', 'toonbank_refresh=first; toonbank_refresh=second', 'first'],
    ['an empty value', 'toonbank_refresh=', undefined],
    ['a pair without =', 'toonbank_refresh; other=1', undefined],
    ['base64url with = inside the value', 'toonbank_refresh=a=b', 'a=b'],
  ])('%s', (_case, header, expected) => {
    expect(cookieValue(header, 'toonbank_refresh')).toBe(expected);
  });

  it.each<[string, (length: number) => string]>([
    ['many other cookies', (length) => repeatTo('x=1; ', length, '', 'toonbank_refresh=found')],
    ['one huge value', (length) => repeatTo('a', length, 'toonbank_refresh=')],
    ['no separators at all', (length) => repeatTo('=', length)],
    ['separators and one = at the end', (length) => repeatTo(';', length, '', '=')],
  ])('reads a header of %s in linear time', (_shape, shape) => {
    expect(growth((header) => cookieValue(header, 'toonbank_refresh'), shape)).toBeLessThanOrEqual(
      MAX_GROWTH,
    );
  });
});
