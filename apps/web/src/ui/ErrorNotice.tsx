import { ErrorCode } from '@toonbank/shared';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/ApiError';
import { errorMessage, type ErrorOverrides } from '../i18n/errorMessage';

/**
 * A failed request, in the user's language, announced to screen readers; nothing when there
 * is none. A refused input also shows the server's own reason (what exactly was wrong). With
 * `onRetry` the notice offers to try again (a failed load, never a refused change). A screen
 * that knows more about a code says it through `overrides` (the level now, after a conflict).
 */
export function ErrorNotice({
  error,
  onRetry,
  overrides,
}: {
  error: unknown;
  onRetry?: () => void;
  overrides?: ErrorOverrides;
}) {
  const { t } = useTranslation();
  if (!error) return null;
  const reason =
    isApiError(error) && error.code === ErrorCode.ValidationFailed ? error.message : null;
  return (
    <p className="form-error" role="alert">
      {errorMessage(t, error, overrides)}
      {reason && <span className="form-error-reason">{reason}</span>}
      {onRetry && (
        <button type="button" className="button button-quiet error-retry" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </p>
  );
}
