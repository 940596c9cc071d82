import { ROLES } from '@toonbank/shared';
import { useTranslation } from 'react-i18next';
import { Field } from './Field';
import {
  CAPACITY_MAX,
  CAPACITY_MIN,
  INITIALS_PATTERN,
  NAME_MAX_LENGTH,
  type ProfileDraft,
} from './userForm';

/** The fields of a user that both the edit dialog and the create form hold. */
export function ProfileFields({
  draft,
  onChange,
  invalid,
  errorId,
  creating = false,
}: {
  draft: ProfileDraft;
  onChange(change: Partial<ProfileDraft>): void;
  invalid: ReadonlySet<string>;
  errorId: string;
  /** New users may leave initials and capacity to the server's defaults. */
  creating?: boolean;
}) {
  const { t } = useTranslation();
  const optional = (label: string) => (creating ? `${label} ${t('adminUsers.optional')}` : label);
  const check = (name: keyof ProfileDraft) => ({ invalid: invalid.has(name), errorId });
  return (
    <>
      <Field label={t('adminUsers.fields.name')} {...check('name')}>
        {(control) => (
          <input
            {...control}
            value={draft.name}
            maxLength={NAME_MAX_LENGTH}
            required
            onChange={(event) => onChange({ name: event.target.value })}
          />
        )}
      </Field>
      <Field
        label={optional(t('adminUsers.fields.initials'))}
        hint={t(creating ? 'adminUsers.initialsHintNew' : 'adminUsers.initialsHint')}
        {...check('initials')}
      >
        {(control) => (
          <input
            {...control}
            value={draft.initials}
            pattern={INITIALS_PATTERN}
            maxLength={4}
            required={!creating}
            autoComplete="off"
            onChange={(event) => onChange({ initials: event.target.value })}
          />
        )}
      </Field>
      <Field label={t('adminUsers.fields.role')} {...check('role')}>
        {(control) => (
          <select
            {...control}
            value={draft.role}
            onChange={(event) => onChange({ role: event.target.value as ProfileDraft['role'] })}
          >
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {t(`roles.${role}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        label={t('adminUsers.fields.trainedAt')}
        hint={t('adminUsers.trainedAtHint')}
        {...check('trainedAt')}
      >
        {(control) => (
          <input
            {...control}
            type="date"
            value={draft.trainedAt}
            onChange={(event) => onChange({ trainedAt: event.target.value })}
          />
        )}
      </Field>
      <Field
        label={optional(t('adminUsers.fields.capacity'))}
        hint={t('adminUsers.capacityHint', { min: CAPACITY_MIN, max: CAPACITY_MAX })}
        {...check('capacity')}
      >
        {(control) => (
          <input
            {...control}
            type="number"
            inputMode="numeric"
            min={CAPACITY_MIN}
            max={CAPACITY_MAX}
            step={1}
            required={!creating}
            value={draft.capacity}
            onChange={(event) => onChange({ capacity: event.target.value })}
          />
        )}
      </Field>
      <Field
        label={t('adminUsers.fields.languages')}
        hint={t('adminUsers.languagesHint')}
        {...check('languages')}
      >
        {(control) => (
          <input
            {...control}
            value={draft.languages}
            autoComplete="off"
            spellCheck={false}
            onChange={(event) => onChange({ languages: event.target.value })}
          />
        )}
      </Field>
    </>
  );
}
