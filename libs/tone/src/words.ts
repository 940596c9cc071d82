import type { Range } from './range';

/** One word of the text: letters and digits, with inner apostrophes and hyphens (auto's, U-bocht). */
export interface Word {
  text: string;
  /** Lower case, typographic apostrophes folded to `'`. */
  lower: string;
  start: number;
  end: number;
}

/** A span that is not prose: its letters are never judged as words. */
export interface OpaqueSpan extends Range {
  kind: 'url' | 'email' | 'handle' | 'hashtag';
}

/** What the rules share about one text: computed once per check. */
export interface TextAnalysis {
  text: string;
  /** The words outside URLs, e-mail addresses, handles and hashtags, in order. */
  words: Word[];
  opaque: OpaqueSpan[];
  /** Text in quotation marks, the marks included. */
  quoted: Range[];
  /** Initials and dotted abbreviations: the single letters of *J.U. de Vries*, *a.u.b.*, *dhr. U. Jansen*. */
  initials: Range[];
}

// Linear: a separator is required between the repeated groups, so nothing backtracks.
const WORD_RE = /[\p{L}\p{M}\p{N}]+(?:['’‐-][\p{L}\p{M}\p{N}]+)*/gu;
const CHUNK_RE = /\S+/g;
const LEADING_PUNCT = /^[([{<"'“‘„‚«]+/;
const TRAILING_PUNCT = new Set('.,;:!?)]}>"\'”’»…');
const EMAIL_RE = /^[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}$/u;
const URL_RE = /^(?:https?:\/\/|www\.)\S/i;
const DOMAIN_RE =
  /^[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.(?:nl|be|com|org|net|eu|de|fr|uk|io|co|app|info|social|gov|edu)(?:[/?#]\S*)?$/iu;

export function tokenize(text: string): Word[] {
  const words: Word[] = [];
  for (const m of text.matchAll(WORD_RE)) {
    const start = m.index;
    words.push({
      text: m[0],
      lower: m[0].toLowerCase().replace(/’/g, "'"),
      start,
      end: start + m[0].length,
    });
  }
  return words;
}

/** URLs, e-mail addresses, @handles and #hashtags, found per whitespace-separated chunk. */
export function opaqueSpans(text: string): OpaqueSpan[] {
  const spans: OpaqueSpan[] = [];
  for (const m of text.matchAll(CHUNK_RE)) {
    const lead = LEADING_PUNCT.exec(m[0])?.[0].length ?? 0;
    let end = m[0].length;
    while (end > lead && TRAILING_PUNCT.has(m[0][end - 1])) end--;
    const body = m[0].slice(lead, end);
    if (!body) continue;
    const start = m.index + lead;
    const kind = body.startsWith('@')
      ? 'handle'
      : body.startsWith('#')
        ? 'hashtag'
        : EMAIL_RE.test(body)
          ? 'email'
          : URL_RE.test(body) || DOMAIN_RE.test(body)
            ? 'url'
            : null;
    if (kind && (kind === 'email' || kind === 'url' || body.length > 1)) {
      spans.push({ kind, start, end: start + body.length });
    }
  }
  return spans;
}

const isWordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c);
const isSpaceOrStart = (c: string | undefined) => c === undefined || /[\s([{<"“„«‘‚—–-]/.test(c);
const SINGLE_QUOTES = new Set(["'", '‘', '’', '‚']);
/** Dutch elisions that start with an apostrophe: 's avonds, 't, 'n, 'k, 'm, 'r. */
const ELISION_LETTERS = new Set(['s', 't', 'n', 'k', 'm', 'r']);

/**
 * Quoted passages: “…”, „…” / „…“, "…", «…» and single quotes ('…', ‘…’) that open before a
 * word and close after one (so the apostrophes of auto's, zo'n and 's avonds are not quotes).
 * A quote left open at a blank line or at the end is not a quote.
 */
export function quotedRanges(text: string): Range[] {
  const ranges: Range[] = [];
  let straight = -1;
  let curly = -1;
  let low = -1;
  let guillemet = -1;
  let single = -1;
  let blankLine = false;
  const close = (open: number, i: number) => ranges.push({ start: open, end: i + 1 });
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {
      if (blankLine) straight = curly = low = guillemet = single = -1;
      blankLine = true;
      continue;
    }
    if (c !== ' ' && c !== '\t' && c !== '\r') blankLine = false;
    if (c === '"') {
      if (straight >= 0) close(straight, i);
      straight = straight >= 0 ? -1 : i;
    } else if (c === '„') {
      if (low < 0) low = i;
    } else if (c === '“') {
      if (low >= 0) {
        close(low, i);
        low = -1;
      } else if (curly < 0) curly = i;
    } else if (c === '”') {
      if (low >= 0) {
        close(low, i);
        low = -1;
      } else if (curly >= 0) {
        close(curly, i);
        curly = -1;
      }
    } else if (c === '«') {
      if (guillemet < 0) guillemet = i;
    } else if (c === '»') {
      if (guillemet >= 0) close(guillemet, i);
      guillemet = -1;
    } else if (SINGLE_QUOTES.has(c)) {
      const prev = text[i - 1];
      const next = text[i + 1];
      if (single >= 0 && prev !== undefined && !/\s/.test(prev) && !isWordChar(next)) {
        close(single, i);
        single = -1;
      } else if (single < 0 && isSpaceOrStart(prev) && isWordChar(next)) {
        const elision = ELISION_LETTERS.has(next.toLowerCase()) && !isWordChar(text[i + 2]);
        if (!elision) single = i;
      }
    }
  }
  return ranges.sort((a, b) => a.start - b.start);
}

const TITLES = new Set([
  'dhr',
  'mevr',
  'mw',
  'mej',
  'mr',
  'mrs',
  'ms',
  'dr',
  'drs',
  'ir',
  'ing',
  'prof',
  'heer',
  'meneer',
  'mevrouw',
  'fam',
  'familie',
]);
const NAME_PARTICLES = new Set([
  'de',
  'van',
  'der',
  'den',
  'ter',
  'ten',
  'te',
  'het',
  "'t",
  'la',
  'le',
]);

const isSingleLetter = (w: Word | undefined): w is Word =>
  w !== undefined && w.text.length === 1 && /\p{L}/u.test(w.text);
const onlyGap = (text: string, from: number, to: number, gap: RegExp) =>
  gap.test(text.slice(from, to));

/**
 * Single letters that are initials or part of a dotted abbreviation: chained letters with
 * dots (*J.U.*, *a.u.b.*), a letter with a dot after a title (*dhr. U. Jansen*), and a capital
 * letter with a dot before a name particle (*U. de Vries*). A lone *U.* ending a sentence is
 * not an initial.
 */
export function initialRanges(text: string, words: readonly Word[]): Range[] {
  const ranges: Range[] = [];
  words.forEach((w, i) => {
    if (!isSingleLetter(w) || text[w.end] !== '.') return;
    const prev = words[i - 1];
    const next = words[i + 1];
    const chainedBefore =
      isSingleLetter(prev) && prev.end + 1 === w.start && text[prev.end] === '.';
    const chainedAfter = isSingleLetter(next) && next.start === w.end + 1;
    const afterTitle =
      prev !== undefined && TITLES.has(prev.lower) && onlyGap(text, prev.end, w.start, /^\.?\s+$/);
    const beforeParticle =
      w.text === w.text.toUpperCase() &&
      next !== undefined &&
      NAME_PARTICLES.has(next.lower) &&
      onlyGap(text, w.end + 1, next.start, /^ +$/);
    if (chainedBefore || chainedAfter || afterTitle || beforeParticle) ranges.push(w);
  });
  return ranges.map(({ start, end }) => ({ start, end }));
}

/** Tokenises once and finds the spans that the rules skip. */
export function analyseText(text: string): TextAnalysis {
  const opaque = opaqueSpans(text);
  const words: Word[] = [];
  let o = 0;
  for (const w of tokenize(text)) {
    while (o < opaque.length && opaque[o].end <= w.start) o++;
    if (o < opaque.length && opaque[o].start < w.end) continue;
    words.push(w);
  }
  return { text, words, opaque, quoted: quotedRanges(text), initials: initialRanges(text, words) };
}

/** True when only spaces or tabs lie between two words (no punctuation, no line break). */
export function adjacent(text: string, a: Word, b: Word): boolean {
  return b.start > a.end && /^[ \t\u00a0]+$/.test(text.slice(a.end, b.start));
}

/** `word` with the capitalisation of `like`'s first letter. */
export function matchCase(word: string, like: string): string {
  if (!word) return word;
  const first = like[0];
  return first === first.toUpperCase() && first !== first.toLowerCase()
    ? word[0].toUpperCase() + word.slice(1)
    : word;
}
