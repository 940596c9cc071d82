import { csvCell, csvLine, writeCsv, type CsvCell } from './csv';

describe('csvCell: RFC 4180 quoting and formula neutralising', () => {
  it.each<[string, CsvCell, string]>([
    ['plain text as it is', 'Mastodon', 'Mastodon'],
    ['empty text', '', ''],
    ['null as an empty cell', null, ''],
    ['a number', 42, '42'],
    ['a fraction', 90.5, '90.5'],
    ['zero', 0, '0'],
    ['a negative number is ours: never neutralised', -1, '-1'],
    ['a comma: quoted', 'Storing, Noord', '"Storing, Noord"'],
    ['a quote: quoted and doubled', 'De "echte" klant', '"De ""echte"" klant"'],
    ['a line feed: quoted', 'twee\nregels', '"twee\nregels"'],
    ['a carriage return and line feed: quoted', 'a\r\nb', '"a\r\nb"'],
    ['a quote alone', '"', '""""'],
    ['= starts a formula', '=1+1', "'=1+1"],
    ['+ starts a formula', '+31 6 1234', "'+31 6 1234"],
    ['- starts a formula', '-2+3', "'-2+3"],
    ['@ starts a formula', '@SUM(A1)', "'@SUM(A1)"],
    ['a tab before a formula', '\t=1', "'\t=1"],
    ['a carriage return before a formula: neutralised and quoted', '\r=1', `"'\r=1"`],
    ['a formula with a comma and quotes', '=HYPERLINK("x","y")', `"'=HYPERLINK(""x"",""y"")"`],
    ['= later in the text is harmless', 'a=b', 'a=b'],
    ['unicode as it is', 'Zoë ☺', 'Zoë ☺'],
  ])('%s', (_label, value, written) => {
    expect(csvCell(value)).toBe(written);
  });
});

describe('writeCsv: sections of title, header and rows', () => {
  it('ends every line with CRLF and puts an empty line between sections', () => {
    expect(
      writeCsv([
        { title: 'Volume', header: ['total'], rows: [[3]] },
        {
          title: 'Per channel',
          header: ['name', 'count'],
          rows: [
            ['A, B', 1],
            ['=C', 2],
          ],
        },
        { title: 'Empty', header: ['x'], rows: [] },
      ]),
    ).toBe(
      'Volume\r\ntotal\r\n3\r\n' +
        '\r\n' +
        'Per channel\r\nname,count\r\n"A, B",1\r\n\'=C,2\r\n' +
        '\r\n' +
        'Empty\r\nx\r\n',
    );
  });

  it('writes one line of cells', () => {
    expect(csvLine(['a', null, 1])).toBe('a,,1\r\n');
  });
});
