import type { TFunction } from 'i18next';
import { isApiError } from '../api/ApiError';

/** The localized text for an error code of the contract (every code has one). */
export function errorMessage(t: TFunction, error: unknown): string {
  if (isApiError(error)) return t(`errors.${error.code}`);
  return t('errors.internal');
}
