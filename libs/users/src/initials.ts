const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const firstGrapheme = (word: string): string =>
  graphemes.segment(word)[Symbol.iterator]().next().value?.segment ?? '';

/**
 * "Anna de Vries" → "AV": the first letters of the first and last word, upper case.
 * Punctuation before a word is skipped ("(Anna)" counts as "Anna"); "" when there is no letter.
 */
export function initialsOf(name: string): string {
  const words = name
    .normalize('NFC')
    .split(/\s+/)
    .map((word) => word.replace(/^[^\p{L}]+/u, ''))
    .filter((word) => word.length > 0);
  if (words.length === 0) return '';
  const first = words[0] as string;
  const last = words.length > 1 ? (words[words.length - 1] as string) : '';
  return `${firstGrapheme(first)}${firstGrapheme(last)}`.toUpperCase();
}
