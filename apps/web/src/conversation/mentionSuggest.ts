import type { DirectoryUserDto } from '@toonbank/shared';

/** The `@…` being typed where the caret is: where it starts and what follows the @ so far. */
export interface MentionQuery {
  start: number;
  query: string;
}

// As libs/shared's MENTION: an @ right after a letter, digit, dot or @ is an address, not a mention.
const TYPED_MENTION = /(?<![\p{L}\p{N}_.%+@-])@([\p{L}\p{N}_.%+-]{0,40})$/u;

export function mentionAt(text: string, caret: number): MentionQuery | null {
  const match = TYPED_MENTION.exec(text.slice(0, caret));
  if (!match) return null;
  return { start: match.index, query: match[1] ?? '' };
}

const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase('nl');

/**
 * Colleagues whose initials or any word of whose name begins with the query, initials first,
 * never the writer; at most `limit`.
 */
export function colleaguesMatching(
  users: readonly Pick<DirectoryUserDto, 'id' | 'name' | 'initials'>[],
  query: string,
  writerId: string,
  limit = 6,
) {
  const q = fold(query);
  const scored = users
    .filter((user) => user.id !== writerId)
    .map((user) => {
      const initials = fold(user.initials).startsWith(q);
      const name = fold(user.name)
        .split(/\s+/)
        .some((word) => word.startsWith(q));
      return { user, rank: initials ? 0 : name ? 1 : 2 };
    })
    .filter((entry) => entry.rank < 2)
    .sort((a, b) => a.rank - b.rank || a.user.name.localeCompare(b.user.name, 'nl'));
  return scored.slice(0, limit).map((entry) => entry.user);
}

/** The text with the typed `@…` replaced by `@INITIALS ` and the caret after it. */
export function insertMention(
  text: string,
  at: MentionQuery,
  caret: number,
  initials: string,
): { text: string; caret: number } {
  const mention = `@${initials.toUpperCase()} `;
  const after = text.slice(caret).replace(/^\s+/, '');
  return { text: text.slice(0, at.start) + mention + after, caret: at.start + mention.length };
}

/**
 * The text with the `@…` at `caret` completed to `@INITIALS `, read from what the box holds
 * now (its value and caret), not from an earlier render; null when the caret is at no `@…`.
 */
export function completeMention(
  text: string,
  caret: number,
  initials: string,
): { text: string; caret: number } | null {
  const at = mentionAt(text, caret);
  return at ? insertMention(text, at, caret, initials) : null;
}

/** Whether two looked-up mentions are the same `@…` (so the list and its choice stay). */
export const sameMention = (a: MentionQuery | null, b: MentionQuery | null) =>
  a === b || (a !== null && b !== null && a.start === b.start && a.query === b.query);
