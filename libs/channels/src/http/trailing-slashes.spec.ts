import { growth, MAX_GROWTH, repeatTo } from '../../../../tests/support/linearity';
import { withoutTrailingSlashes } from './trailing-slashes';

describe('withoutTrailingSlashes', () => {
  it.each([
    ['https://bsky.social', 'https://bsky.social'],
    ['https://bsky.social/', 'https://bsky.social'],
    ['https://pds.example/xrpc///', 'https://pds.example/xrpc'],
    ['https://a/b/c', 'https://a/b/c'],
    ['///', ''],
    ['', ''],
  ])('%j → %j', (text, expected) => {
    expect(withoutTrailingSlashes(text)).toBe(expected);
  });

  it.each<[string, (length: number) => string]>([
    ['slashes then a letter (what /\\/+$/ is quadratic on)', (n) => repeatTo('/', n, '', 'x')],
    ['only slashes', (n) => repeatTo('/', n)],
  ])('in linear time: %s', (_shape, shape) => {
    expect(growth(withoutTrailingSlashes, shape)).toBeLessThanOrEqual(MAX_GROWTH);
  });
});
