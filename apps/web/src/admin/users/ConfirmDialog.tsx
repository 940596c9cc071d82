import type { ReactNode } from 'react';
import { Dialog } from '../../ui/Dialog';
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
  onConfirm,
  onClose,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  pending: boolean;
  error: unknown;
  onConfirm(): void;
  onClose(): void;
}) {
  return (
    <Dialog title={title} onClose={onClose}>
      <div className="confirm-body">
        {children}
        <ErrorNotice error={error} />
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
