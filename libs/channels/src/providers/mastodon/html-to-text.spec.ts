import { growth, MAX_GROWTH, repeatTo } from '../../../../../tests/support/linearity';
import { htmlToText } from './html-to-text';

describe('htmlToText (Mastodon status HTML)', () => {
  const mention =
    '<span class="h-card" translate="no"><a href="https://social.example/@demo_energie" class="u-url mention">@<span>demo_energie</span></a></span>';

  it.each([
    ['empty', '', ''],
    ['plain text', 'hallo', 'hallo'],
    ['one paragraph', '<p>Hallo wereld</p>', 'Hallo wereld'],
    ['paragraphs become a blank line', '<p>een</p><p>twee</p>', 'een\n\ntwee'],
    ['<br> is a line break', '<p>een<br>twee<br />drie<BR/>vier</p>', 'een\ntwee\ndrie\nvier'],
    ['the text of a mention link stays', `<p>${mention} hoi</p>`, '@demo_energie hoi'],
    [
      'a remote mention keeps its text',
      '<p><span class="h-card"><a href="https://other.example/@ana" class="u-url mention">@<span>ana</span></a></span> dank</p>',
      '@ana dank',
    ],
    [
      'a hashtag',
      '<p><a href="https://social.example/tags/stroom" class="mention hashtag" rel="tag">#<span>stroom</span></a> weg</p>',
      '#stroom weg',
    ],
    [
      "a link's invisible parts are kept (the full URL)",
      '<p>zie <a href="https://example.com/a/very/long/path" rel="nofollow noopener" target="_blank"><span class="invisible">https://</span><span class="ellipsis">example.com/a/very/lo</span><span class="invisible">ng/path</span></a></p>',
      'zie https://example.com/a/very/long/path',
    ],
    [
      'entities',
      '<p>a &amp; b &lt;c&gt; &quot;d&quot; &#39;e&#39; &apos;f&apos;</p>',
      "a & b <c> \"d\" 'e' 'f'",
    ],
    ['numeric entities', '<p>&#128512; &#x1F600; &#X1f4a1;</p>', '😀 😀 💡'],
    ['a bad code point', '<p>&#0; &#xD800; &#99999999;</p>', '\ufffd \ufffd \ufffd'],
    ['an unknown entity stays as it is', '<p>&bogus; &amp</p>', '&bogus; &'],
    ['a bare ampersand', '<p>AT&T, R&D &</p>', 'AT&T, R&D &'],
    ['&nbsp; is a space', '<p>a&nbsp;b</p>', 'a b'],
    ['emoji survive', '<p>💡⚡️ 👩‍👩‍👧 stroom 🇳🇱</p>', '💡⚡️ 👩‍👩‍👧 stroom 🇳🇱'],
    ['white space collapses', '<p>  a \n\t b  </p>\n<p>\n c </p>', 'a b\n\nc'],
    ['no space after a line break', '<p>a <br> b</p>', 'a\nb'],
    ['many breaks give one blank line at most', '<p>a<br><br><br><br>b</p>', 'a\n\nb'],
    ['no breaks at the start or end', '<br><p></p><p>a</p><br><br>', 'a'],
    ['a list', '<ul><li>een</li><li>twee</li></ul><p>na</p>', 'een\ntwee\n\nna'],
    [
      'a quote',
      '<p>voor</p><blockquote><p>citaat</p></blockquote><p>na</p>',
      'voor\n\ncitaat\n\nna',
    ],
    [
      'pre keeps its white space',
      '<p>code:</p><pre><code>a  =  1\n  b</code></pre>',
      'code:\n\na  =  1\n  b',
    ],
    ['inline tags join words', '<p>on<strong>der</strong><em>deel</em></p>', 'onderdeel'],
    ['a comment is dropped', '<p>a<!-- <p>x</p> -->b</p>', 'ab'],
    [
      'a script is dropped with its text',
      '<p>a</p><script>alert("<p>")</script><p>b</p>',
      'a\n\nb',
    ],
    ['a > inside a quoted attribute', '<p><a href="x" title="a>b">link</a></p>', 'link'],
    ['a lone < is text', '<p>1 < 2 and 3 <= 4</p>', '1 < 2 and 3 <= 4'],
    ['an unterminated tag at the end is dropped', '<p>a</p><p class="x', 'a'],
    ['an unterminated comment drops the rest', 'a<!-- b', 'a'],
    ['a doctype is dropped', '<!DOCTYPE html><p>a</p>', 'a'],
  ])('%s', (_name, html, text) => {
    expect(htmlToText(html)).toBe(text);
  });

  it('keeps a 10,000-character text whole', () => {
    const long = 'stroom '.repeat(1500).trim();
    const text = htmlToText(`<p>${mention} ${long}</p>`);
    expect(text).toBe(`@demo_energie ${long}`);
    expect(text.length).toBeGreaterThan(10_000);
  });

  it.each([
    ['many <', '<'.repeat(200_000)],
    ['many unterminated tags', '<a '.repeat(100_000)],
    ['many quotes in an open tag', `<a ${'"'.repeat(200_000)}`],
    ['many &', '&'.repeat(200_000)],
    ['many numeric starts', '&#'.repeat(100_000)],
    ['long entity-like names', `&${'a'.repeat(200_000)}`],
    ['many <br>', '<br>'.repeat(100_000)],
    ['many paragraphs', '<p>x</p>'.repeat(50_000)],
    ['many comment starts', '<!--'.repeat(100_000)],
    ['many script starts', '<script>'.repeat(50_000)],
    ['deep nesting', '<span>'.repeat(50_000) + 'x' + '</span>'.repeat(50_000)],
    ['white space', ' \n\t'.repeat(100_000) + 'x'],
  ])('runs in linear time on hostile input: %s', (_name, html) => {
    const started = process.hrtime.bigint();
    htmlToText(html);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    expect(ms).toBeLessThan(1_000);
  });
});

describe('htmlToText in linear time (issue 11)', () => {
  it.each<[string, (length: number) => string]>([
    ['paragraphs and links', (n) => repeatTo('<p>Hoi <a href="https://a.nl">@a</a></p>', n)],
    ['an unterminated tag', (n) => repeatTo('a', n, '<a ')],
    ['an unterminated quote in a tag', (n) => repeatTo('>', n, '<a title="')],
    ['tags that never close', (n) => repeatTo('<a ', n)],
    ['a run of <', (n) => repeatTo('<', n)],
    ['text with < and a letter', (n) => repeatTo('< a', n)],
    ['unterminated comments', (n) => repeatTo('<!--', n)],
    ['unterminated declarations', (n) => repeatTo('<!', n)],
    ['scripts that never close', (n) => repeatTo('<script>', n)],
    ['line breaks', (n) => repeatTo('<br>', n)],
    ['entities', (n) => repeatTo('&amp;&#x1F600;&nbsp;', n)],
    ['unterminated entities', (n) => repeatTo('&#', n)],
    ['ampersands', (n) => repeatTo('&', n)],
    ['preformatted text', (n) => repeatTo('a \r\n', n, '<pre>')],
    ['white space', (n) => repeatTo(' \n', n)],
  ])('%s', (_shape, shape) => {
    expect(growth(htmlToText, shape)).toBeLessThanOrEqual(MAX_GROWTH);
  });
});
