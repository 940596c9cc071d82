/**
 * A customer's post to the organisation usually starts with the organisation's own handle
 * ("@webcare@energie.example Mijn stroom…"): that is how it reached us, and it says nothing in
 * a preview. `withoutOwnMentions` drops those leading mentions, and only those: any other
 * mention, and everything after the first word that is not one of ours, stays as written.
 *
 * One pass over the text, no regular expression over more than one character: linear whatever
 * the input (tests/support/linearity.ts).
 */

/** The forms in which a post can mention an account of ours, lower case. */
export function ownMentionForms(ownHandles: readonly string[]): Set<string> {
  const forms = new Set<string>();
  for (const handle of ownHandles) {
    const lower = handle.trim().toLowerCase();
    // A handle that is not an @name (a Facebook page's name) is never written as a mention.
    if (lower.length < 2 || !lower.startsWith('@')) continue;
    forms.add(lower);
    // Mastodon shows a mention of "@user@host" as "@user"; both mean us in a post we received.
    const host = lower.indexOf('@', 1);
    if (host > 1) forms.add(lower.slice(0, host));
  }
  return forms;
}

const AT = 0x40;
const DOT = 0x2e;

/** Letters, digits, marks, `_`, `.`, `-` and `@` make up a handle (`@name@host`, `@name.bsky.social`). */
const HANDLE_CHAR = /^[\p{L}\p{N}\p{M}_.@-]$/u;
const SPACE = /^\s$/u;

const isHandleChar = (char: string): boolean => HANDLE_CHAR.test(char);
const isSpace = (char: string): boolean => SPACE.test(char);

/** Where the white space starting at `from` ends. */
function skipSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && isSpace(text.charAt(i))) i++;
  return i;
}

/**
 * `text` without the mentions of our own handles it starts with (and the white space and the
 * `,`, `:` or `;` after each). A text that is nothing but our mentions stays as it is: the
 * preview would otherwise be empty.
 */
export function withoutOwnMentions(text: string, ownHandles: readonly string[]): string {
  const forms = ownMentionForms(ownHandles);
  if (forms.size === 0) return text;
  let rest = 0;
  for (;;) {
    const start = skipSpace(text, rest);
    if (text.charCodeAt(start) !== AT) break;
    let end = start + 1;
    while (end < text.length && isHandleChar(text.charAt(end))) end++;
    // A sentence may go on right after the mention: "@webcare. Mijn stroom…".
    let tokenEnd = end;
    while (tokenEnd > start + 1 && text.charCodeAt(tokenEnd - 1) === DOT) tokenEnd--;
    if (!forms.has(text.slice(start, tokenEnd).toLowerCase())) break;
    let after = end;
    const next = text.charAt(after);
    if (next === ',' || next === ':' || next === ';') after++;
    // "@webcare's" or "@webcare!" is a word of the customer's, not a bare mention.
    if (after < text.length && !isSpace(text.charAt(after))) break;
    rest = after;
  }
  if (rest === 0) return text;
  const remaining = text.slice(skipSpace(text, rest));
  return remaining.length > 0 ? remaining : text;
}
