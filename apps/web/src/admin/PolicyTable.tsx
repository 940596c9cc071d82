import { MATURITY_LEVELS, MATURITY_NAMES } from '@toonbank/shared';
import type { PolicyRule } from '@toonbank/policy';
import { useTranslation } from 'react-i18next';
import { usePolicy } from '../api/team';

/** The policy matrix in force: per level, who may respond, with approval, from templates. */
export function PolicyTable() {
  const { t } = useTranslation();
  const policy = usePolicy().data;
  if (!policy) return null;
  const rowName = (rule: PolicyRule) =>
    rule.trained === undefined
      ? t(`roles.${rule.role}`)
      : t(rule.trained ? 'admin.policy.trained' : 'admin.policy.untrained', {
          role: t(`roles.${rule.role}`),
        });
  const cell = (rule: PolicyRule) =>
    !rule.respond
      ? t('admin.policy.no')
      : [
          t('admin.policy.yes'),
          rule.approval ? t('admin.policy.approval') : null,
          rule.template ? t('admin.policy.template') : null,
        ]
          .filter(Boolean)
          .join(' · ');
  const rows = policy.matrix['1'];
  return (
    <section className="admin-section" aria-labelledby="policy-title">
      <h2 id="policy-title">{t('admin.policy.title')}</h2>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t('admin.policy.role')}</th>
            {MATURITY_LEVELS.map((level) => (
              <th
                key={level}
                scope="col"
                className={level === policy.level ? 'current-level' : undefined}
              >
                {level} · {t(`maturity.names.${MATURITY_NAMES[level]}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr key={`${row.role}-${String(row.trained)}`}>
              <th scope="row">{rowName(row)}</th>
              {MATURITY_LEVELS.map((level) => {
                const rule = policy.matrix[`${level}`][index] ?? row;
                return (
                  <td key={level} className={level === policy.level ? 'current-level' : undefined}>
                    {cell(rule)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">
        {policy.trustLadder.approvalsToLift === null
          ? t('admin.policy.ladderOff')
          : t('admin.policy.ladder', { count: policy.trustLadder.approvalsToLift })}
      </p>
    </section>
  );
}
