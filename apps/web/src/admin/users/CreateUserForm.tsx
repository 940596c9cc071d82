import { ConflictReason } from '@toonbank/shared';
import { isConflictBecause } from '../../i18n/errorMessage';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AdminForm } from './AdminForm';
import { useCreateUser } from './api';
import { Field } from './Field';
import { useUserFieldErrors } from './fieldErrors';
import { FormError } from './FormError';
import { ProfileFields } from './ProfileFields';
import {
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  draftProblems,
  emptyNewUser,
  newUserBody,
  type NewUserDraft,
} from './userForm';

/**
 * Text, one @, and a dot inside the domain; no white space. What `/^[^\s@]+@[^\s@]+\.[^\s@]+$/`
 * said, without its quadratic backtracking on a domain of many dots.
 */
const looksLikeEmail = (value: string) => {
  const text = value.trim();
  const at = text.indexOf('@');
  const dot = text.indexOf('.', at + 2);
  return (
    at > 0 && at === text.lastIndexOf('@') && !/\s/.test(text) && dot > 0 && dot < text.length - 1
  );
};

/** A new user of the organisation (POST /api/users); refusals are shown beside the form. */
export function CreateUserForm({ onCreated }: { onCreated(name: string): void }) {
  const { t } = useTranslation();
  const create = useCreateUser();
  const errorId = useId();
  const [draft, setDraft] = useState<NewUserDraft>(emptyNewUser);
  const [problems, setProblems] = useState<string[]>([]);
  const duplicate = isConflictBecause(create.error, ConflictReason.EmailTaken);
  const { invalid, fields } = useUserFieldErrors(
    create.error,
    problems,
    duplicate ? ['email'] : [],
  );
  const change = (patch: Partial<NewUserDraft>) =>
    setDraft((current) => ({ ...current, ...patch }));

  const submit = () => {
    const found = [
      ...(looksLikeEmail(draft.email) ? [] : ['email']),
      ...(draft.password.length < PASSWORD_MIN_LENGTH ? ['password'] : []),
      ...draftProblems(draft, true),
    ];
    setProblems(found);
    if (found.length > 0) return create.reset();
    create.mutate(newUserBody(draft), {
      onSuccess: (user) => {
        setDraft(emptyNewUser());
        onCreated(user.name);
      },
    });
  };

  return (
    <AdminForm
      title={t('adminUsers.create.title')}
      submitLabel={t('adminUsers.create.submit')}
      pendingLabel={t('adminUsers.create.submitting')}
      pending={create.isPending}
      onSubmit={submit}
      after={
        <FormError
          id={errorId}
          error={create.error}
          message={duplicate ? t('adminUsers.create.duplicate') : undefined}
          fields={fields}
        />
      }
    >
      <Field label={t('adminUsers.fields.email')} invalid={invalid.has('email')} errorId={errorId}>
        {(control) => (
          <input
            {...control}
            type="email"
            value={draft.email}
            required
            autoComplete="off"
            spellCheck={false}
            onChange={(event) => change({ email: event.target.value })}
          />
        )}
      </Field>
      <Field
        label={t('adminUsers.fields.password')}
        hint={t('adminUsers.create.passwordHint', { min: PASSWORD_MIN_LENGTH })}
        invalid={invalid.has('password')}
        errorId={errorId}
      >
        {(control) => (
          <input
            {...control}
            type="password"
            value={draft.password}
            required
            minLength={PASSWORD_MIN_LENGTH}
            maxLength={PASSWORD_MAX_LENGTH}
            autoComplete="new-password"
            onChange={(event) => change({ password: event.target.value })}
          />
        )}
      </Field>
      <ProfileFields draft={draft} onChange={change} invalid={invalid} errorId={errorId} creating />
    </AdminForm>
  );
}
