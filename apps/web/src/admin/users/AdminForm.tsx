import { useId, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A form of an admin section as a card: its title, the fields in a grid, what follows them
 * (the error beside the form), and the submit button. The browser's own checks are off: the
 * form names the fields to look at itself, and the server checks everything again.
 */
export function AdminForm({
  title,
  submitLabel,
  pendingLabel,
  pending,
  onSubmit,
  after,
  children,
}: {
  title: string;
  submitLabel: string;
  pendingLabel: string;
  pending: boolean;
  onSubmit(): void;
  after?: ReactNode;
  children: ReactNode;
}) {
  const titleId = useId();
  return (
    <form
      className="card admin-form"
      aria-labelledby={titleId}
      noValidate
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      <h3 id={titleId}>{title}</h3>
      <div className="admin-form-grid">{children}</div>
      {after}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={pending}>
          {pending ? pendingLabel : submitLabel}
        </button>
      </div>
    </form>
  );
}

/** Cancel and the dialog's own action, at the foot of a dialog. */
export function DialogActions({ onCancel, confirm }: { onCancel(): void; confirm: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="dialog-actions">
      <button type="button" className="button button-quiet" onClick={onCancel}>
        {t('common.cancel')}
      </button>
      {confirm}
    </div>
  );
}
