import { ErrorCode, type ConflictReason } from '@toonbank/shared';
import type { TFunction } from 'i18next';
import { isApiError } from '../api/ApiError';

/**
 * What a screen knows better than the code alone, by code: the maturity dialog says which
 * level the organisation is at now when its change was refused with a `conflict`. A key
 * `<code>:<details.reason>` (`conflictBecause`) speaks only for an error the server gave that
 * reason, and wins over the code's own: a screen tells its one story ("the last active admin")
 * only when the server said so, and any other `conflict` keeps the generic words.
 */
export type ErrorOverrides = Partial<Record<string, string>>;

/** The `overrides` key of a 409 `conflict` whose `details.reason` is `reason`. */
export const conflictBecause = (reason: ConflictReason): string =>
  `${ErrorCode.Conflict}:${reason}`;

/** A 409 `conflict` the server refused for `reason` (`details.reason`). */
export const isConflictBecause = (error: unknown, reason: ConflictReason): boolean =>
  isApiError(error) && error.code === ErrorCode.Conflict && error.details?.reason === reason;

/**
 * The localized text for an error of the API: every code of the contract has its own words
 * (what went wrong, and whether anything changed), a 429 says how long to wait when the
 * server said so, and anything that is no answer of the API is `internal`.
 */
export function errorMessage(t: TFunction, error: unknown, overrides: ErrorOverrides = {}): string {
  if (!isApiError(error)) return t('errors.internal');
  const reason = error.details?.reason;
  const because = typeof reason === 'string' ? overrides[`${error.code}:${reason}`] : undefined;
  if (because) return because;
  const own = overrides[error.code];
  if (own) return own;
  if (error.code === ErrorCode.RateLimited && error.retryAfterSeconds !== undefined) {
    return t('errors.rate_limited_retry', {
      count: Math.max(1, Math.ceil(error.retryAfterSeconds)),
    });
  }
  return t(`errors.${error.code}`);
}
