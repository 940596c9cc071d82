import { ErrorCode } from '@toonbank/shared';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/ApiError';
import { errorMessage } from '../i18n/errorMessage';

/**
 * A failed request, in the user's language, announced to screen readers; nothing when there
 * is none. A refused input also shows the server's own reason (what exactly was wrong). With
 * `onRetry` the notice offers to try again (a failed load, never a refused change).
 */
export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  if (!error) return null;
  const reason =
    isApiError(error) && error.code === ErrorCode.ValidationFailed ? error.message : null;
  return (
    <p className="form-error" role="alert">
      {errorMessage(t, error)}
      {reason && <span className="form-error-reason">{reason}</span>}
      {onRetry && (
        <button type="button" className="button button-quiet error-retry" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </p>
  );
}
