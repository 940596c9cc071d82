import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from './Dialog';

/** A confirmation that needs a written reason (an override, a rejection): no text, no confirm. */
export function ReasonDialog({
  title,
  explanation,
  label,
  confirmLabel,
  maxLength,
  onConfirm,
  onClose,
}: {
  title: string;
  explanation?: string;
  label: string;
  confirmLabel: string;
  maxLength: number;
  onConfirm(reason: string): void;
  onClose(): void;
}) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  return (
    <Dialog title={title} onClose={onClose}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (reason.trim()) onConfirm(reason.trim());
        }}
      >
        {explanation && <p>{explanation}</p>}
        <label className="field">
          <span className="field-label">{label}</span>
          <textarea
            value={reason}
            onChange={(event) => setReason(event.target.value)}
            maxLength={maxLength}
            rows={3}
            required
          />
        </label>
        <div className="dialog-actions">
          <button type="button" className="button button-quiet" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="button button-danger" disabled={!reason.trim()}>
            {confirmLabel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
