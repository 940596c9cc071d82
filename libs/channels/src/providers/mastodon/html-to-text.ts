/**
 * Mastodon's sanitised status HTML → plain text, in one linear pass (no regular expressions that
 * could backtrack): tags are dropped, `<br>` becomes a line break and the end of a paragraph a
 * blank line, the text of links is kept (so a mention reads `@user` and a link its full URL,
 * including Mastodon's `invisible` spans), entities are decoded and runs of white space collapse
 * as a browser would show them (except inside `<pre>`).
 */
export function htmlToText(html: string): string {
  const out = new TextBuilder();
  const length = html.length;
  let lowered: string | undefined;
  let preDepth = 0;
  let i = 0;
  while (i < length) {
    const char = html.charCodeAt(i);
    if (char === LT) {
      const next = html.charCodeAt(i + 1);
      if (next === BANG || next === QUESTION) {
        // A comment, a doctype or a processing instruction: skipped.
        if (html.startsWith('<!--', i)) {
          const end = html.indexOf('-->', i + 4);
          i = end < 0 ? length : end + 3;
        } else {
          const end = html.indexOf('>', i + 2);
          i = end < 0 ? length : end + 1;
        }
        continue;
      }
      const closing = next === SLASH;
      const nameStart = closing ? i + 2 : i + 1;
      if (!isAsciiLetter(html.charCodeAt(nameStart))) {
        // Not a tag (`a < b`, `</ >`): the `<` is text.
        out.text('<', preDepth > 0);
        i += 1;
        continue;
      }
      let nameEnd = nameStart;
      while (nameEnd < length && isNameChar(html.charCodeAt(nameEnd))) nameEnd += 1;
      const name = html.slice(nameStart, nameEnd).toLowerCase();
      const tagEnd = findTagEnd(html, nameEnd);
      if (tagEnd < 0) break; // An unterminated tag at the end is dropped, as browsers do.
      i = tagEnd + 1;
      if (!closing && RAW_TEXT.has(name)) {
        // <script>/<style> never survive Mastodon's sanitiser; if they came anyway, skip their text.
        lowered ??= html.toLowerCase();
        const end = lowered.indexOf(`</${name}`, i);
        if (end < 0) break;
        const close = findTagEnd(html, end + 2 + name.length);
        i = close < 0 ? length : close + 1;
        continue;
      }
      if (name === 'br') {
        out.lineBreak();
      } else if (name === 'pre') {
        out.blockEnd(2);
        preDepth = closing ? Math.max(0, preDepth - 1) : preDepth + 1;
      } else if (name === 'li') {
        out.blockEnd(1);
      } else if (BLOCKS.has(name)) {
        out.blockEnd(2);
      }
      continue;
    }
    if (char === AMP) {
      const entity = decodeEntityAt(html, i);
      if (entity) {
        out.text(entity.text, preDepth > 0);
        i = entity.end;
        continue;
      }
    }
    // A run of plain text up to the next tag or entity.
    let end = i + 1;
    while (end < length) {
      const c = html.charCodeAt(end);
      if (c === LT || c === AMP) break;
      end += 1;
    }
    out.text(html.slice(i, end), preDepth > 0);
    i = end;
  }
  return out.toString();
}

const LT = 0x3c;
const GT = 0x3e;
const AMP = 0x26;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const SEMICOLON = 0x3b;
const HASH = 0x23;
const QUOTE = 0x22;
const APOSTROPHE = 0x27;

/** Elements whose end (and start) is a paragraph break. */
const BLOCKS = new Set([
  'p',
  'div',
  'blockquote',
  'ul',
  'ol',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'table',
  'tr',
  'hr',
  'section',
  'article',
  'header',
  'footer',
  'figure',
  'dl',
  'dt',
  'dd',
]);
const RAW_TEXT = new Set(['script', 'style', 'template', 'textarea', 'title']);

function isAsciiLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function isNameChar(c: number): boolean {
  return isAsciiLetter(c) || (c >= 0x30 && c <= 0x39) || c === 0x2d;
}

/** The index of the `>` that ends a tag, skipping quoted attribute values; -1 when it never ends. */
function findTagEnd(html: string, from: number): number {
  let quote = 0;
  for (let j = from; j < html.length; j += 1) {
    const c = html.charCodeAt(j);
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === QUOTE || c === APOSTROPHE) {
      quote = c;
    } else if (c === GT) {
      return j;
    }
  }
  return -1;
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  shy: '\u00ad',
  copy: '©',
  reg: '®',
  trade: '™',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  laquo: '«',
  raquo: '»',
  bull: '•',
  middot: '·',
  euro: '€',
  pound: '£',
  yen: '¥',
  cent: '¢',
  deg: '°',
  times: '×',
  divide: '÷',
  para: '¶',
  sect: '§',
  zwj: '\u200d',
  zwnj: '\u200c',
};

/** The longest entity name we look for (bounded look-ahead keeps the pass linear). */
const MAX_ENTITY_LENGTH = 32;

/** Decodes the entity starting at `&` at `start`, or answers null when there is none. */
function decodeEntityAt(html: string, start: number): { text: string; end: number } | null {
  const limit = Math.min(html.length, start + MAX_ENTITY_LENGTH);
  if (html.charCodeAt(start + 1) === HASH) {
    let j = start + 2;
    const hex = html[j] === 'x' || html[j] === 'X';
    if (hex) j += 1;
    const digitsStart = j;
    while (j < limit && isDigit(html.charCodeAt(j), hex)) j += 1;
    if (j === digitsStart) return null;
    const code = parseInt(html.slice(digitsStart, j), hex ? 16 : 10);
    const end = html.charCodeAt(j) === SEMICOLON ? j + 1 : j;
    return { text: codePointText(code), end };
  }
  let j = start + 1;
  while (j < limit && isNameChar(html.charCodeAt(j))) j += 1;
  if (html.charCodeAt(j) !== SEMICOLON) {
    // Legacy entities without `;` (`&amp` in old HTML) are decoded only for the basic ones.
    const bare = html.slice(start + 1, j);
    if ((bare === 'amp' || bare === 'lt' || bare === 'gt' || bare === 'quot') && j > start + 1) {
      return { text: NAMED_ENTITIES[bare], end: j };
    }
    return null;
  }
  const name = html.slice(start + 1, j);
  const text = Object.hasOwn(NAMED_ENTITIES, name) ? NAMED_ENTITIES[name] : undefined;
  return text === undefined ? null : { text, end: j + 1 };
}

function isDigit(c: number, hex: boolean): boolean {
  if (c >= 0x30 && c <= 0x39) return true;
  return hex && ((c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66));
}

function codePointText(code: number): string {
  if (!Number.isFinite(code) || code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))
    return '\ufffd';
  return String.fromCodePoint(code);
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d;
}

/**
 * Collects the text: collapses white space, never starts a line with a space nor ends one with
 * it, and never writes more than one blank line in a row or any at the start or end.
 */
class TextBuilder {
  private readonly out = new CodeUnits();
  /** How many line breaks `out` ends with. */
  private trailing = 0;
  private started = false;
  private pendingSpace = false;
  /** Line breaks owed before the next text (0, 1 or 2). */
  private pendingBreaks = 0;

  text(value: string, preformatted: boolean): void {
    if (preformatted) {
      if (value.length === 0) return;
      this.flush();
      this.appendPreformatted(value);
      this.started = true;
      return;
    }
    let runStart = -1;
    for (let k = 0; k < value.length; k += 1) {
      const c = value.charCodeAt(k);
      if (isSpace(c) || c === 0xa0) {
        if (runStart >= 0) {
          this.word(value.slice(runStart, k));
          runStart = -1;
        }
        this.pendingSpace = true;
      } else if (runStart < 0) {
        runStart = k;
      }
    }
    if (runStart >= 0) this.word(value.slice(runStart));
  }

  lineBreak(): void {
    this.pendingSpace = false;
    if (!this.started) return;
    this.flush();
    if (this.trailing < 2) this.append('\n');
  }

  blockEnd(breaks: 1 | 2): void {
    this.pendingSpace = false;
    if (!this.started) return;
    if (breaks > this.pendingBreaks) this.pendingBreaks = breaks;
  }

  toString(): string {
    return this.out.toString(this.out.length - this.trailing);
  }

  private word(value: string): void {
    const spaced = this.pendingSpace && this.started && this.pendingBreaks === 0;
    this.flush();
    if (spaced && this.trailing === 0) this.append(' ');
    this.append(value);
    this.pendingSpace = false;
    this.started = true;
  }

  private flush(): void {
    if (this.pendingBreaks > 0) {
      const owed = this.pendingBreaks - Math.min(this.trailing, 2);
      if (owed > 0) this.append('\n'.repeat(owed));
      this.pendingBreaks = 0;
    }
  }

  /**
   * Preformatted text as written, CR LF and CR as LF and no-break spaces as spaces, copied unit
   * by unit: no intermediate copies of what may be the whole post.
   */
  private appendPreformatted(value: string): void {
    for (let k = 0; k < value.length; k += 1) {
      let c = value.charCodeAt(k);
      if (c === 0x0d) {
        if (value.charCodeAt(k + 1) === 0x0a) k += 1;
        c = 0x0a;
      } else if (c === 0xa0) {
        c = 0x20;
      }
      this.out.appendUnit(c);
      this.trailing = c === 0x0a ? this.trailing + 1 : 0;
    }
  }

  private append(piece: string): void {
    if (piece.length === 0) return;
    this.out.append(piece);
    let breaks = 0;
    while (breaks < piece.length && piece.charCodeAt(piece.length - 1 - breaks) === 0x0a)
      breaks += 1;
    this.trailing = breaks === piece.length ? this.trailing + breaks : breaks;
  }
}

/**
 * Text collected as UTF-16 code units in a typed array that doubles as it fills. Neither an
 * array of parts nor a chain of concatenations: a hundred thousand short strings or rope nodes
 * cost the garbage collector more than linear time; a typed array's memory lies outside the
 * heap it scans.
 */
class CodeUnits {
  private units = new Uint16Array(1024);
  length = 0;

  appendUnit(unit: number): void {
    if (this.length === this.units.length) this.grow(1);
    this.units[this.length++] = unit;
  }

  append(piece: string): void {
    if (this.length + piece.length > this.units.length) this.grow(piece.length);
    for (let k = 0; k < piece.length; k += 1) this.units[this.length + k] = piece.charCodeAt(k);
    this.length += piece.length;
  }

  private grow(more: number): void {
    const grown = new Uint16Array(Math.max(this.units.length * 2, this.length + more));
    grown.set(this.units.subarray(0, this.length));
    this.units = grown;
  }

  /** The first `end` code units as a string (lone surrogates kept as they are). */
  toString(end = this.length): string {
    const chunks: string[] = [];
    for (let from = 0; from < end; from += CHUNK) {
      chunks.push(String.fromCharCode(...this.units.subarray(from, Math.min(from + CHUNK, end))));
    }
    return chunks.join('');
  }
}

/** Code units per String.fromCharCode call (well under the engine's argument limit). */
const CHUNK = 8192;
