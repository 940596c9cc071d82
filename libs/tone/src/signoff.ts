import { SIGNOFF_PATTERN_MAX_LENGTH } from '@toonbank/shared';
import { RE2JS } from 're2js';
import type { Range } from './range';

/** Thrown by `compileSignoffPattern`; `message` is fit to show an admin (400). */
export class SignoffPatternError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SignoffPatternError';
  }
}

const CACHE_SIZE = 32;
const cache = new Map<string, RE2JS>();

/**
 * Compiles an admin's sign-off pattern with re2js (linear time, no backreferences or
 * lookaround), anchored so that it must match the end of the trimmed reply. Throws a
 * `SignoffPatternError` for a pattern longer than SIGNOFF_PATTERN_MAX_LENGTH or one that
 * does not parse. Compiled patterns are cached.
 */
export function compileSignoffPattern(pattern: string): RE2JS {
  const cached = cache.get(pattern);
  if (cached) return cached;
  if (pattern.length > SIGNOFF_PATTERN_MAX_LENGTH) {
    throw new SignoffPatternError(
      `The sign-off pattern is ${pattern.length} characters long; at most ${SIGNOFF_PATTERN_MAX_LENGTH} are allowed`,
    );
  }
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(`(?:${pattern})$`);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new SignoffPatternError(
      `The sign-off pattern is not a valid regular expression: ${reason}`,
    );
  }
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(pattern, compiled);
  return compiled;
}

/** Where the sign-off stands at the end of the trimmed text, or null when it is missing. */
export function findSignoff(text: string, pattern: RE2JS): Range | null {
  const trimmed = text.trimEnd();
  const lead = trimmed.length - trimmed.trimStart().length;
  const matcher = pattern.matcher(trimmed.slice(lead));
  if (!matcher.find()) return null;
  return { start: lead + matcher.start(), end: lead + matcher.end() };
}

/** Caret initials anywhere (^AB): a sign-off, also where the profile's pattern differs. */
export function caretInitials(text: string): Range[] {
  return Array.from(text.matchAll(/\^[A-Z]{1,4}\b/g), (m) => ({
    start: m.index,
    end: m.index + m[0].length,
  }));
}
