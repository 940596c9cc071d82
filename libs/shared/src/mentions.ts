/**
 * `@AB` or `@anna@demo.test` in a note (API.md: "@initials or @email mentions"). An @ right
 * after a letter, digit, dot or @ is part of an address written in the text, not a mention.
 */
const MENTION =
  /(?<![\p{L}\p{N}_.%+@-])@([\p{L}\p{N}_.%+-]+(?:@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+)?)/gu;

/** `text` without the dots it ends with: a loop, since `/\.+$/` is quadratic on runs of dots. */
function withoutTrailingDots(text: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === '.') end--;
  return text.slice(0, end);
}

export interface Mentions {
  /** Upper case, each once. */
  initials: string[];
  /** Lower case, each once. */
  emails: string[];
}

/** Who a text mentions; which of them are colleagues is for the caller to look up. */
export function mentionsIn(text: string): Mentions {
  const initials = new Set<string>();
  const emails = new Set<string>();
  for (const [, raw] of text.matchAll(MENTION)) {
    // A sentence may end right after a mention: "vraag het @AB."
    const token = withoutTrailingDots(raw as string);
    if (token.includes('@')) emails.add(token.toLowerCase());
    else if (token) initials.add(token.toUpperCase());
  }
  return { initials: [...initials], emails: [...emails] };
}
