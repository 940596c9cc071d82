import {
  ErrorCode,
  MATURITY_LEVELS,
  MATURITY_NAMES,
  type MaturityLevel,
  type UserDto,
} from '@toonbank/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useOrg } from '../api/queries';
import { usePolicy } from '../api/team';
import { Dialog } from '../ui/Dialog';
import { ErrorNotice } from '../ui/ErrorNotice';
import { SkeletonRows } from '../ui/Skeleton';
import {
  levelNowOf,
  roleShifts,
  useChangeMaturity,
  useMaturityPreview,
  type RoleShift,
} from './maturity';
import './maturity.css';

/**
 * The maturity level as three steps. Choosing another step opens a dialog that shows, before
 * anything changes, what changes for each role (respond, free text or templates, approval),
 * who gains and who loses the right to respond and how much work goes back to the queue, and
 * asks for the reason the audit log keeps.
 */
export function MaturityControl() {
  const { t } = useTranslation();
  const org = useOrg();
  // The level the admin chose from is kept: when it moves under them, the dialog says so.
  const [change, setChange] = useState<{ from: MaturityLevel; to: MaturityLevel } | null>(null);
  if (!org.data) {
    return (
      <section className="admin-section" aria-labelledby="maturity-title">
        <h2 id="maturity-title">{t('maturity.label')}</h2>
        {org.isError ? (
          <ErrorNotice error={org.error} onRetry={() => void org.refetch()} />
        ) : (
          <SkeletonRows count={3} />
        )}
      </section>
    );
  }
  const level = org.data.maturityLevel;
  return (
    <section className="admin-section" aria-labelledby="maturity-title">
      <h2 id="maturity-title">{t('maturity.label')}</h2>
      <p className="muted">{t('admin.maturity.intro')}</p>
      <ol className="steps" aria-label={t('maturity.label')}>
        {MATURITY_LEVELS.map((step) => {
          const current = step === level;
          return (
            <li key={step}>
              <button
                type="button"
                className={current ? 'step step-current' : 'step'}
                aria-current={current ? 'step' : undefined}
                disabled={current}
                onClick={() => setChange({ from: level, to: step })}
              >
                <span className="step-number">{step}</span>
                <span className="step-name">{t(`maturity.names.${MATURITY_NAMES[step]}`)}</span>
                <span className="step-summary">{t(`admin.maturity.summary.${step}`)}</span>
              </button>
            </li>
          );
        })}
      </ol>
      {change !== null && (
        <MaturityDialog
          from={change.from}
          to={change.to}
          onReview={(from) => setChange({ ...change, from })}
          onClose={() => setChange(null)}
        />
      )}
    </section>
  );
}

export function MaturityDialog({
  from,
  to,
  onReview,
  onClose,
}: {
  /** The level the admin saw when they chose `to`. */
  from: MaturityLevel;
  to: MaturityLevel;
  /** Look again from the level the organisation is at now. */
  onReview(from: MaturityLevel): void;
  onClose(): void;
}) {
  const { t } = useTranslation();
  const preview = useMaturityPreview(to);
  const policy = usePolicy();
  const change = useChangeMaturity();
  const live = useOrg().data?.maturityLevel ?? from;
  const [reason, setReason] = useState('');
  const effects = preview.data;
  const name = (level: MaturityLevel) => t(`maturity.names.${MATURITY_NAMES[level]}`);
  const levelName = (level: MaturityLevel) =>
    t('admin.maturity.level', { level, name: name(level) });
  const named = (user: UserDto) => `${user.name} (${t(`roles.${user.role}`)})`;
  // The level moved under the admin: seen live (org.updated), or in the server's refusal.
  const now = levelNowOf(change.error) ?? live;
  const movedUnder = now !== from;
  const conflict = movedUnder
    ? t('admin.maturity.conflictChanged', { level: levelName(now) })
    : t('admin.maturity.conflictUnchanged', { level: levelName(now) });
  return (
    <Dialog
      title={t('admin.maturity.dialogTitle', { from: name(from), to: name(to) })}
      onClose={onClose}
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!reason.trim() || movedUnder) return;
          change.mutate(
            { level: to, reason: reason.trim(), expectedLevel: from },
            { onSuccess: onClose },
          );
        }}
      >
        {movedUnder && (
          <div className="notice notice-warn maturity-moved" role="alert">
            <p>
              {now === to
                ? t('admin.maturity.movedToTarget', { level: levelName(now) })
                : t('admin.maturity.moved', { level: levelName(now) })}
            </p>
            {now !== to && (
              <button
                type="button"
                className="button"
                onClick={() => {
                  change.reset();
                  onReview(now);
                  void preview.refetch();
                }}
              >
                {t('admin.maturity.review', { level: levelName(now) })}
              </button>
            )}
          </div>
        )}
        {policy.data ? (
          <RoleShifts shifts={roleShifts(policy.data.matrix, from, to)} from={from} to={to} />
        ) : policy.isError ? (
          <ErrorNotice error={policy.error} onRetry={() => void policy.refetch()} />
        ) : (
          <SkeletonRows count={3} label={t('admin.maturity.previewing')} />
        )}
        {preview.isError ? (
          <ErrorNotice error={preview.error} onRetry={() => void preview.refetch()} />
        ) : !effects ? (
          <SkeletonRows count={2} label={t('admin.maturity.previewing')} />
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
        <ErrorNotice error={change.error} overrides={{ [ErrorCode.Conflict]: conflict }} />
        <div className="dialog-actions">
          <button type="button" className="button button-quiet" onClick={onClose}>
            {movedUnder ? t('admin.maturity.close') : t('common.cancel')}
          </button>
          <button
            type="submit"
            className="button button-primary"
            disabled={!reason.trim() || !effects || change.isPending || movedUnder}
          >
            {t('admin.maturity.confirm', { level: to, name: name(to) })}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** Per role, what the change does to answering customers; the roles it leaves alone in one line. */
function RoleShifts({
  shifts,
  from,
  to,
}: {
  shifts: RoleShift[];
  from: MaturityLevel;
  to: MaturityLevel;
}) {
  const { t } = useTranslation();
  const rowName = (shift: RoleShift) =>
    shift.trained === undefined
      ? t(`roles.${shift.role}`)
      : t(shift.trained ? 'admin.policy.trained' : 'admin.policy.untrained', {
          role: t(`roles.${shift.role}`),
        });
  const changed = shifts.filter((shift) => shift.changes.length > 0);
  const same = shifts.filter((shift) => shift.changes.length === 0);
  const title = t('admin.maturity.rolesTitle', { from, to });
  return (
    <div className="role-shifts">
      <h3 className="effect-title">{title}</h3>
      {changed.length === 0 ? (
        <p className="muted">{t('admin.maturity.noRoleChanges')}</p>
      ) : (
        <ul aria-label={title}>
          {changed.map((shift) => (
            <li key={`${shift.role}-${String(shift.trained)}`}>
              <span className="role-shift-role">{rowName(shift)}</span>{' '}
              <span className="role-shift-changes">
                {shift.changes.map((c) => t(`admin.maturity.changes.${c}`)).join(' · ')}
              </span>
            </li>
          ))}
        </ul>
      )}
      {same.length > 0 && changed.length > 0 && (
        <p className="muted">
          {t('admin.maturity.unchangedRoles', { roles: same.map(rowName).join(', ') })}
        </p>
      )}
    </div>
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
