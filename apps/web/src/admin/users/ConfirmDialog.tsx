import type { ReactNode } from 'react';
import { Dialog } from '../../ui/Dialog';
import type { ErrorOverrides } from '../../i18n/errorMessage';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { DialogActions } from './AdminForm';

/**
 * "Are you sure?" before a step that cannot be taken back lightly. Focus starts on Cancel; the
 * dialog stays open while the request runs and shows its error, the caller closes it on success.
 */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  pending,
  error,
  overrides,
  onConfirm,
  onClose,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  pending: boolean;
  error: unknown;
  /** The dialog's own words for a code (a 409 that means "the last admin"). */
  overrides?: ErrorOverrides;
  onConfirm(): void;
  onClose(): void;
}) {
  return (
    <Dialog title={title} onClose={onClose}>
      <div className="confirm-body">
        {children}
        <ErrorNotice error={error} overrides={overrides} />
        <DialogActions
          onCancel={onClose}
          confirm={
            <button
              type="button"
              className="button button-danger"
              disabled={pending}
              onClick={onConfirm}
            >
              {confirmLabel}
            </button>
          }
        />
      </div>
    </Dialog>
  );
}
