import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { PolicyMatrix, PolicyRule } from '@toonbank/policy';
import { MATURITY_LEVELS, MATURITY_NAMES, type MaturityLevel } from '@toonbank/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../api/ApiContext';
import { queryKeys } from '../api/queries';
import { usePolicy, type PolicyDto } from '../api/team';
import { ErrorNotice } from '../ui/ErrorNotice';
import { SkeletonRows } from '../ui/Skeleton';

type Right = 'respond' | 'approval' | 'template';
const RIGHTS: Right[] = ['respond', 'approval', 'template'];

function useSavePolicy() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (policy: Pick<PolicyDto, 'matrix' | 'trustLadder'>) =>
      api.put<PolicyDto>('/org/policy', policy),
    onSuccess: (policy) => {
      queryClient.setQueryData(queryKeys.policy, policy);
      // Who may respond may have changed.
      void queryClient.invalidateQueries({ queryKey: queryKeys.users });
      void queryClient.invalidateQueries({ queryKey: queryKeys.me });
    },
  });
}

/**
 * The policy matrix: per level, who may respond, with approval, from templates, and the trust
 * ladder. An admin may edit it; the server refuses a matrix outside SPEC.md's safe limits.
 */
export function PolicyTable() {
  const { t } = useTranslation();
  const loaded = usePolicy();
  const policy = loaded.data;
  const save = useSavePolicy();
  const [draft, setDraft] = useState<Pick<PolicyDto, 'matrix' | 'trustLadder'> | null>(null);
  if (!policy) {
    return (
      <section className="admin-section" aria-labelledby="policy-title">
        <h2 id="policy-title">{t('admin.policy.title')}</h2>
        {loaded.isError ? (
          <ErrorNotice error={loaded.error} onRetry={() => void loaded.refetch()} />
        ) : (
          <SkeletonRows count={6} />
        )}
      </section>
    );
  }
  const shown = draft ?? policy;
  const rowName = (rule: PolicyRule) =>
    rule.trained === undefined
      ? t(`roles.${rule.role}`)
      : t(rule.trained ? 'admin.policy.trained' : 'admin.policy.untrained', {
          role: t(`roles.${rule.role}`),
        });
  const summary = (rule: PolicyRule) =>
    !rule.respond
      ? t('admin.policy.no')
      : [
          t('admin.policy.yes'),
          rule.approval ? t('admin.policy.approval') : null,
          rule.template ? t('admin.policy.template') : null,
        ]
          .filter(Boolean)
          .join(' · ');
  const setRight = (level: MaturityLevel, index: number, right: Right, on: boolean) => {
    if (!draft) return;
    const rows = draft.matrix[`${level}`].map((rule, i) => {
      if (i !== index) return rule;
      const next = { ...rule, [right]: on };
      // Approval and templates only mean something for who may respond.
      return next.respond ? next : { ...next, approval: false, template: false };
    });
    setDraft({ ...draft, matrix: { ...draft.matrix, [`${level}`]: rows } as PolicyMatrix });
  };
  const rows = shown.matrix['1'];
  const ladder = shown.trustLadder.approvalsToLift;

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
                const rule = shown.matrix[`${level}`][index] ?? row;
                return (
                  <td key={level} className={level === policy.level ? 'current-level' : undefined}>
                    {draft
                      ? RIGHTS.map((right) => (
                          <label key={right} className="checkbox policy-right">
                            <input
                              type="checkbox"
                              checked={rule[right]}
                              disabled={right !== 'respond' && !rule.respond}
                              aria-label={t('admin.policy.cell', {
                                right: t(`admin.policy.rights.${right}`),
                                who: rowName(row),
                                level,
                              })}
                              onChange={(e) => setRight(level, index, right, e.target.checked)}
                            />
                            {t(`admin.policy.rights.${right}`)}
                          </label>
                        ))
                      : summary(rule)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {draft ? (
        <form
          className="form-row section-action"
          onSubmit={(event) => {
            event.preventDefault();
            save.mutate(draft, { onSuccess: () => setDraft(null) });
          }}
        >
          <label className="field">
            <span className="field-label">{t('admin.policy.ladderInput')}</span>
            <input
              type="number"
              min={1}
              max={1000}
              value={ladder ?? ''}
              placeholder={t('admin.policy.ladderNever')}
              onChange={(e) =>
                setDraft({
                  ...draft,
                  trustLadder: {
                    approvalsToLift: e.target.value === '' ? null : Number(e.target.value),
                  },
                })
              }
            />
          </label>
          <button type="submit" className="button button-primary" disabled={save.isPending}>
            {t('admin.policy.save')}
          </button>
          <button
            type="button"
            className="button button-quiet"
            onClick={() => {
              save.reset();
              setDraft(null);
            }}
          >
            {t('common.cancel')}
          </button>
        </form>
      ) : (
        <>
          <p className="muted">
            {ladder === null
              ? t('admin.policy.ladderOff')
              : t('admin.policy.ladder', { count: ladder })}
          </p>
          <button
            type="button"
            className="button"
            onClick={() => setDraft({ matrix: policy.matrix, trustLadder: policy.trustLadder })}
          >
            {t('admin.policy.edit')}
          </button>
        </>
      )}
      <ErrorNotice error={save.error} />
    </section>
  );
}
