import { useInfiniteQuery } from '@tanstack/react-query';
import { AuditAction, type AuditEntryDto, type Page } from '@toonbank/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatMoment } from '../../ui/formatTime';
import { useApi } from '../../api/ApiContext';
import { useUserNames, useUsers } from '../../api/team';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { SkeletonRows } from '../../ui/Skeleton';

const ACTIONS = Object.values(AuditAction).sort();

/** What changed, compactly: `field: before → after` per changed field. */
export function describeChange(entry: Pick<AuditEntryDto, 'before' | 'after'>): string {
  const keys = [
    ...new Set([...Object.keys(entry.before ?? {}), ...Object.keys(entry.after ?? {})]),
  ];
  const show = (value: unknown) => (value === undefined ? '—' : JSON.stringify(value));
  return keys
    .map((key) => `${key}: ${show(entry.before?.[key])} → ${show(entry.after?.[key])}`)
    .join('; ');
}

/** The organisation's audit log, newest first, filtered by action and by who acted. */
export function AuditLog() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const [action, setAction] = useState('');
  const [actorId, setActorId] = useState('');
  const users = useUsers();
  const names = useUserNames();
  const log = useInfiniteQuery({
    queryKey: ['audit', action, actorId],
    queryFn: ({ pageParam, signal }) => {
      const params = new URLSearchParams({ limit: '50' });
      if (action) params.set('action', action);
      if (actorId) params.set('actorId', actorId);
      if (pageParam) params.set('cursor', pageParam);
      return api.get<Page<AuditEntryDto>>(`/audit?${params}`, { signal });
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const entries = log.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section className="admin-section" aria-labelledby="audit-title">
      <h2 id="audit-title">{t('adminAudit.title')}</h2>
      <div className="form-row">
        <label className="field">
          <span className="field-label">{t('adminAudit.action')}</span>
          <select value={action} onChange={(e) => setAction(e.target.value)}>
            <option value="">{t('adminAudit.all')}</option>
            {ACTIONS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('adminAudit.actor')}</span>
          <select value={actorId} onChange={(e) => setActorId(e.target.value)}>
            <option value="">{t('adminAudit.all')}</option>
            {(users.data?.items ?? []).map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorNotice error={log.error} onRetry={() => void log.refetch()} />
      {log.isPending && !log.isError ? (
        <SkeletonRows count={8} />
      ) : (
        <table className="table audit-table">
          <thead>
            <tr>
              <th scope="col">{t('adminAudit.at')}</th>
              <th scope="col">{t('adminAudit.actor')}</th>
              <th scope="col">{t('adminAudit.action')}</th>
              <th scope="col">{t('adminAudit.change')}</th>
              <th scope="col">{t('adminAudit.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.id}>
                <td>
                  <time dateTime={entry.at}>{formatMoment(entry.at, i18n.language)}</time>
                </td>
                <td>
                  {entry.actorId
                    ? (names.get(entry.actorId) ?? t('conversation.someone'))
                    : t('adminAudit.system')}
                </td>
                <td>
                  <code>{entry.action}</code>
                </td>
                <td className="audit-change">{describeChange(entry)}</td>
                <td>{entry.reason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {entries.length === 0 && !log.isPending && !log.isError && (
        <p className="muted">{t('adminAudit.empty')}</p>
      )}
      {log.hasNextPage && (
        <button
          type="button"
          className="button button-quiet"
          disabled={log.isFetchingNextPage}
          onClick={() => void log.fetchNextPage()}
        >
          {t('inbox.loadMore')}
        </button>
      )}
    </section>
  );
}
