import { ConflictReason, type UserDto } from '@toonbank/shared';
import { isConflictBecause } from '../../i18n/errorMessage';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from '../../ui/Dialog';
import { DialogActions } from './AdminForm';
import { useUpdateUser } from './api';
import { useUserFieldErrors } from './fieldErrors';
import { FormError } from './FormError';
import { ProfileFields } from './ProfileFields';
import { draftProblems, profileChanges, profileDraft, type ProfileDraft } from './userForm';

/** Edit a user's profile; only the fields that changed are sent (PATCH /api/users/:id). */
export function EditUserDialog({ user, onClose }: { user: UserDto; onClose(): void }) {
  const { t } = useTranslation();
  const update = useUpdateUser();
  const errorId = useId();
  const [initial] = useState<ProfileDraft>(() => profileDraft(user));
  const [draft, setDraft] = useState<ProfileDraft>(initial);
  const [problems, setProblems] = useState<string[]>([]);
  const { invalid, fields } = useUserFieldErrors(update.error, problems);
  // Anything typed counts as a change to look at; what is sent is only what differs in value.
  const edited = (Object.keys(draft) as (keyof ProfileDraft)[]).some(
    (key) => draft[key] !== initial[key],
  );
  return (
    <Dialog title={t('adminUsers.editTitle', { name: user.name })} onClose={onClose}>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const found = draftProblems(draft, false);
          setProblems(found);
          if (found.length > 0) return update.reset();
          const changes = profileChanges(user, draft);
          if (Object.keys(changes).length === 0) return onClose();
          update.mutate({ id: user.id, changes }, { onSuccess: onClose });
        }}
      >
        <div className="admin-form-grid">
          <ProfileFields
            draft={draft}
            onChange={(change) => setDraft((current) => ({ ...current, ...change }))}
            invalid={invalid}
            errorId={errorId}
          />
        </div>
        <FormError
          id={errorId}
          error={update.error}
          message={
            isConflictBecause(update.error, ConflictReason.LastAdmin)
              ? t('adminUsers.editLastAdmin', { name: user.name })
              : undefined
          }
          fields={fields}
        />
        {!edited && <p className="muted">{t('adminUsers.noChanges')}</p>}
        <DialogActions
          onCancel={onClose}
          confirm={
            <button
              type="submit"
              className="button button-primary"
              disabled={!edited || update.isPending}
            >
              {update.isPending ? t('adminUsers.saving') : t('adminUsers.save')}
            </button>
          }
        />
      </form>
    </Dialog>
  );
}
