import { growth, MAX_GROWTH, repeatTo } from '../../../../../tests/support/linearity';
import { linkFacets } from './link-facets';

const links = (text: string) =>
  linkFacets(text).map(({ index, features }) => [
    Buffer.from(text).subarray(index.byteStart, index.byteEnd).toString(),
    features[0].uri,
  ]);

describe('linkFacets', () => {
  it.each<[string, string[]]>([
    ['geen link', []],
    ['Zie https://status.demo.nl/storing.', ['https://status.demo.nl/storing']],
    ['(https://a.nl/x), en http://b.nl?!', ['https://a.nl/x', 'http://b.nl']],
    ['Één 😀 https://ä.nl/ü en ñ https://b.nl', ['https://ä.nl/ü', 'https://b.nl']],
    ['https://localhost/x en https://…', []],
    ['"https://a.nl/x"', ['https://a.nl/x']],
  ])('%p', (text, expected) => {
    expect(links(text)).toEqual(expected.map((url) => [url, url]));
  });
});

describe('linkFacets in linear time (issue 11)', () => {
  it.each<[string, (length: number) => string]>([
    ['a URL followed by a run of punctuation', (n) => repeatTo(')', n, 'https://a.nl/', 'x')],
    ['a URL ending in a run of punctuation', (n) => repeatTo('.', n, 'https://a.nl/')],
    ['many links after multi-byte text', (n) => repeatTo('é😀 https://a.nl/x ', n)],
    ['many schemes without a host', (n) => repeatTo('https:// ', n)],
  ])('%s', (_shape, shape) => {
    expect(growth(linkFacets, shape)).toBeLessThanOrEqual(MAX_GROWTH);
  });
});
