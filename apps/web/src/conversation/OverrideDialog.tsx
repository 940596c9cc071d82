import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from '../ui/Dialog';

/** A team lead or admin sends despite tone errors: the reason is required and audited. */
export function OverrideDialog({
  onConfirm,
  onClose,
}: {
  onConfirm(reason: string): void;
  onClose(): void;
}) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  return (
    <Dialog title={t('composer.override.title')} onClose={onClose}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (reason.trim()) onConfirm(reason.trim());
        }}
      >
        <p>{t('composer.override.explain')}</p>
        <label className="field">
          <span className="field-label">{t('composer.override.reason')}</span>
          <textarea
            value={reason}
            onChange={(event) => setReason(event.target.value)}
            maxLength={500}
            rows={3}
            required
          />
        </label>
        <div className="dialog-actions">
          <button type="button" className="button button-quiet" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="button button-danger" disabled={!reason.trim()}>
            {t('composer.override.confirm')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
