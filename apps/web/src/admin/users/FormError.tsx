import { ErrorCode } from '@toonbank/shared';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/ApiError';
import { errorMessage } from '../../i18n/errorMessage';

/** A field a refused form should look at: its name in the request, its label on screen. */
export interface InvalidField {
  name: string;
  label: string;
  /** The server's own words about it, when it gave them (English). */
  problem?: string;
}

/** The fields a 400 `validation.failed` names in `details.fields` (API.md §Conventions). */
export function invalidFields(error: unknown): string[] {
  if (!isApiError(error) || error.code !== ErrorCode.ValidationFailed) return [];
  const fields = error.details?.fields;
  return Array.isArray(fields) ? fields.filter((f): f is string => typeof f === 'string') : [];
}

/**
 * Why a form was refused, beside the form: the message (the caller's own for codes it knows
 * better, else the contract's), then the fields to check by their labels. Nothing when there
 * is neither an error nor a field. Inputs point at `id` with `aria-describedby`.
 */
export function FormError({
  id,
  error,
  message,
  fields,
}: {
  id: string;
  error: unknown;
  message?: string;
  fields: readonly InvalidField[];
}) {
  const { t } = useTranslation();
  if (!error && fields.length === 0) return null;
  return (
    <div id={id} className="form-error" role="alert">
      <p>{message ?? (error ? errorMessage(t, error) : t('errors.validation.failed'))}</p>
      {fields.length > 0 && (
        <ul className="field-errors">
          {fields.map((field) => (
            <li key={field.name}>
              {field.label}
              {field.problem && (
                <>
                  {': '}
                  <span lang="en">{field.problem}</span>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
