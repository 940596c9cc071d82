import { roleHasPermission } from '@toonbank/policy';
import { ConflictReason, Permission, type UserDto } from '@toonbank/shared';
import { conflictBecause } from '../../i18n/errorMessage';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/queries';
import { AddPanel, AdminTableSection, RowButton } from './AdminTableSection';
import { useOrganisationUsers, useUpdateUser } from './api';
import { ConfirmDialog } from './ConfirmDialog';
import { CreateUserForm } from './CreateUserForm';
import { EditUserDialog } from './EditUserDialog';
import { intlLocale } from '../../ui/formatTime';

/** A date-only value (the training date) as the day it names, whatever the time zone here. */
export const formatDay = (iso: string, language: string) =>
  new Date(iso).toLocaleDateString(intlLocale(language), { timeZone: 'UTC', dateStyle: 'medium' });

/**
 * The organisation's users for the admin: role, training, capacity, languages, whether they
 * are active and may respond now. Admins edit, deactivate (after a confirmation: it ends the
 * sessions and hands the conversations back), reactivate and add users; team leads only read.
 */
export function UsersAdmin() {
  const { t } = useTranslation();
  const me = useMe().data;
  const canRead = me !== undefined && roleHasPermission(me.role, Permission.UserRead);
  const canManage = me !== undefined && roleHasPermission(me.role, Permission.UserManage);
  const { query, items: users } = useOrganisationUsers(canRead);
  const activate = useUpdateUser();
  const deactivate = useUpdateUser();
  const [editing, setEditing] = useState<UserDto | null>(null);
  const [deactivating, setDeactivating] = useState<UserDto | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  if (!me || !canRead) return null;

  return (
    <AdminTableSection
      title={t('adminUsers.title')}
      intro={t('adminUsers.intro')}
      query={query}
      count={users.length}
      error={activate.error}
      loadMoreLabel={t('adminUsers.loadMore')}
      columns={[
        t('adminUsers.fields.name'),
        t('adminUsers.fields.email'),
        t('adminUsers.fields.role'),
        t('adminUsers.fields.trainedAt'),
        t('adminUsers.fields.capacity'),
        t('adminUsers.fields.languages'),
        t('adminUsers.fields.active'),
        t('adminUsers.fields.eligible'),
        t('adminUsers.fields.available'),
      ]}
      actionsLabel={canManage ? t('adminUsers.actions') : undefined}
      rows={users.map((user) => (
        <UserRow key={user.id} user={user}>
          {canManage && (
            <td>
              <div className="row-actions">
                <RowButton
                  label={t('adminUsers.edit')}
                  name={t('adminUsers.editUser', { name: user.name })}
                  onClick={() => setEditing(user)}
                />
                {user.active ? (
                  <RowButton
                    label={t('adminUsers.deactivate')}
                    name={t('adminUsers.deactivateUser', { name: user.name })}
                    disabled={user.id === me.id}
                    title={user.id === me.id ? t('adminUsers.notSelf') : undefined}
                    onClick={() => {
                      deactivate.reset();
                      setDeactivating(user);
                    }}
                  />
                ) : (
                  <RowButton
                    label={t('adminUsers.activate')}
                    name={t('adminUsers.activateUser', { name: user.name })}
                    disabled={activate.isPending}
                    onClick={() => activate.mutate({ id: user.id, changes: { active: true } })}
                  />
                )}
              </div>
            </td>
          )}
        </UserRow>
      ))}
    >
      {canManage && (
        <AddPanel
          label={t('adminUsers.create.open')}
          notice={created && t('adminUsers.create.created', { name: created })}
        >
          <CreateUserForm onCreated={setCreated} />
        </AddPanel>
      )}
      {editing && <EditUserDialog user={editing} onClose={() => setEditing(null)} />}
      {deactivating && (
        <ConfirmDialog
          title={t('adminUsers.deactivateTitle', { name: deactivating.name })}
          confirmLabel={t('adminUsers.deactivate')}
          pending={deactivate.isPending}
          error={deactivate.error}
          overrides={{
            [conflictBecause(ConflictReason.LastAdmin)]: t('adminUsers.lastAdmin', {
              name: deactivating.name,
            }),
          }}
          onClose={() => setDeactivating(null)}
          onConfirm={() =>
            deactivate.mutate(
              { id: deactivating.id, changes: { active: false } },
              { onSuccess: () => setDeactivating(null) },
            )
          }
        >
          <p>{t('adminUsers.deactivateExplain', { name: deactivating.name })}</p>
        </ConfirmDialog>
      )}
    </AdminTableSection>
  );
}

/** One user's facts as table cells; `children` are the action cell. */
function UserRow({ user, children }: { user: UserDto; children: ReactNode }) {
  const { t, i18n } = useTranslation();
  return (
    <tr className={user.active ? undefined : 'row-inactive'}>
      <th scope="row">
        {user.name} <span className="muted">({user.initials})</span>
      </th>
      <td>{user.email}</td>
      <td>{t(`roles.${user.role}`)}</td>
      <td>
        {user.trainedAt ? (
          formatDay(user.trainedAt, i18n.language)
        ) : (
          <span className="muted">{t('adminUsers.untrained')}</span>
        )}
      </td>
      <td>{user.capacity}</td>
      <td>{user.languages.join(', ') || '—'}</td>
      <td>{user.active ? t('adminUsers.isActive') : t('adminUsers.isInactive')}</td>
      <td>
        <span className={user.eligible ? 'badge' : 'badge badge-muted'}>
          {user.eligible ? t('adminUsers.eligibleYes') : t('adminUsers.eligibleNo')}
        </span>
      </td>
      <td className={user.available ? 'availability-on' : 'availability-off'}>
        {user.available ? t('board.team.available') : t('board.team.unavailable')}
      </td>
      {children}
    </tr>
  );
}
