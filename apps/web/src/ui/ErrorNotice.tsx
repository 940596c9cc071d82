import { useTranslation } from 'react-i18next';
import { errorMessage } from '../i18n/errorMessage';

/** A failed request, in the user's language, announced to screen readers; nothing when there is none. */
export function ErrorNotice({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <p className="form-error" role="alert">
      {errorMessage(t, error)}
    </p>
  );
}
