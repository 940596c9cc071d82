import { useTranslation } from 'react-i18next';
import type { nl } from '../../i18n/nl';
import { invalidFields, type InvalidField } from './FormError';

type UserField = keyof typeof nl.adminUsers.fields;

/**
 * The fields to mark on a user form: those this side found wrong and those the API named,
 * by their labels; `also` adds fields a code implies (the e-mail of a 409 duplicate).
 */
export function useUserFieldErrors(error: unknown, local: readonly string[], also: string[] = []) {
  const { t } = useTranslation();
  const names = [...new Set([...local, ...invalidFields(error), ...also])];
  const fields: InvalidField[] = names.map((name) => ({
    name,
    label: t(`adminUsers.fields.${name as UserField}`, { defaultValue: name }),
  }));
  return { invalid: new Set(names), fields };
}
