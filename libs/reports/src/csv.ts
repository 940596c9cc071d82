/** A cell: text is quoted and neutralised as needed, numbers are written as they are, null is empty. */
export type CsvCell = string | number | null;

/** One table of a sectioned CSV file: a line naming it, its header row, its rows. */
export interface CsvSection {
  title: string;
  header: string[];
  rows: CsvCell[][];
}

const NEEDS_QUOTES = /[",\r\n]/;
/**
 * What a spreadsheet takes for the start of a formula (OWASP "CSV injection"): `=`, `+`, `-`,
 * `@`, and tab and carriage return, which some of them skip before looking.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One cell of RFC 4180: quoted when it holds a quote, comma or line break, with quotes
 * doubled. Text that a spreadsheet would run as a formula gets a leading apostrophe (a
 * customer's or colleague's name such as `=HYPERLINK(...)` is shown, never evaluated).
 * Numbers are ours, never neutralised.
 */
export function csvCell(value: CsvCell): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLine = (cells: CsvCell[]): string => `${cells.map(csvCell).join(',')}\r\n`;

/** Sections one after the other, an empty line between two; CRLF line ends (RFC 4180). */
export function writeCsv(sections: CsvSection[]): string {
  return sections
    .map(
      (section) =>
        csvLine([section.title]) +
        csvLine(section.header) +
        section.rows.map((row) => csvLine(row)).join(''),
    )
    .join('\r\n');
}
