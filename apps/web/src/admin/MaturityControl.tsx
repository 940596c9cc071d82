import {
  MATURITY_LEVELS,
  MATURITY_NAMES,
  type MaturityLevel,
  type UserDto,
} from '@toonbank/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../ui/ErrorNotice';
import { useOrg } from '../api/queries';
import { errorMessage } from '../i18n/errorMessage';
import { Dialog } from '../ui/Dialog';
import { useChangeMaturity, useMaturityPreview } from './maturity';

/**
 * The maturity level as three steps. Choosing another step opens a dialog that shows, before
 * anything changes, who gains and who loses the right to respond and how much work goes back
 * to the queue, and asks for the reason the audit log keeps.
 */
export function MaturityControl() {
  const { t } = useTranslation();
  const org = useOrg().data;
  const [target, setTarget] = useState<MaturityLevel | null>(null);
  if (!org) return null;
  return (
    <section className="admin-section" aria-labelledby="maturity-title">
      <h2 id="maturity-title">{t('maturity.label')}</h2>
      <p className="muted">{t('admin.maturity.intro')}</p>
      <ol className="steps" aria-label={t('maturity.label')}>
        {MATURITY_LEVELS.map((level) => {
          const current = level === org.maturityLevel;
          return (
            <li key={level}>
              <button
                type="button"
                className={current ? 'step step-current' : 'step'}
                aria-current={current ? 'step' : undefined}
                disabled={current}
                onClick={() => setTarget(level)}
              >
                <span className="step-number">{level}</span>
                <span className="step-name">{t(`maturity.names.${MATURITY_NAMES[level]}`)}</span>
                <span className="step-summary">{t(`admin.maturity.summary.${level}`)}</span>
              </button>
            </li>
          );
        })}
      </ol>
      {target !== null && (
        <MaturityDialog from={org.maturityLevel} to={target} onClose={() => setTarget(null)} />
      )}
    </section>
  );
}

export function MaturityDialog({
  from,
  to,
  onClose,
}: {
  from: MaturityLevel;
  to: MaturityLevel;
  onClose(): void;
}) {
  const { t } = useTranslation();
  const preview = useMaturityPreview(to);
  const change = useChangeMaturity();
  const [reason, setReason] = useState('');
  const effects = preview.data;
  const name = (level: MaturityLevel) => t(`maturity.names.${MATURITY_NAMES[level]}`);
  const named = (user: UserDto) => `${user.name} (${t(`roles.${user.role}`)})`;
  return (
    <Dialog
      title={t('admin.maturity.dialogTitle', { from: name(from), to: name(to) })}
      onClose={onClose}
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!reason.trim()) return;
          change.mutate({ level: to, reason: reason.trim() }, { onSuccess: onClose });
        }}
      >
        {preview.isError ? (
          <p className="form-error" role="alert">
            {errorMessage(t, preview.error)}
          </p>
        ) : !effects ? (
          <p role="status">{t('admin.maturity.previewing')}</p>
        ) : (
          <div className="maturity-effects" aria-live="polite">
            <EffectList title={t('admin.maturity.gaining')} names={effects.gaining.map(named)} />
            <EffectList title={t('admin.maturity.losing')} names={effects.losing.map(named)} />
            {/* Raising takes nothing back: the counts only matter when someone loses the right. */}
            {(effects.losing.length > 0 || effects.conversationsReturned > 0) && (
              <p>
                {t('admin.maturity.conversationsReturned', {
                  count: effects.conversationsReturned,
                })}
              </p>
            )}
            {(effects.losing.length > 0 || effects.repliesWithdrawn > 0) && (
              <p>{t('admin.maturity.repliesWithdrawn', { count: effects.repliesWithdrawn })}</p>
            )}
          </div>
        )}
        <label className="field">
          <span className="field-label">{t('admin.maturity.reason')}</span>
          <textarea
            value={reason}
            rows={3}
            maxLength={500}
            required
            onChange={(event) => setReason(event.target.value)}
          />
        </label>
        <ErrorNotice error={change.error} />
        <div className="dialog-actions">
          <button type="button" className="button button-quiet" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button
            type="submit"
            className="button button-primary"
            disabled={!reason.trim() || !effects || change.isPending}
          >
            {t('admin.maturity.confirm', { level: to, name: name(to) })}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function EffectList({ title, names }: { title: string; names: string[] }) {
  const { t } = useTranslation();
  return (
    <div>
      <h3 className="effect-title">{title}</h3>
      {names.length === 0 ? (
        <p className="muted">{t('admin.maturity.nobody')}</p>
      ) : (
        <ul aria-label={title}>
          {names.map((n, i) => (
            <li key={`${n}-${i}`}>{n}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
