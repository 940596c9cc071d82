import { useId, useState, type ReactNode } from 'react';
import type { ErrorOverrides } from '../../i18n/errorMessage';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { SkeletonRows } from '../../ui/Skeleton';
import { LoadMore, type PagedQuery } from './paging';

/**
 * An admin section around one paged table: the heading with the count, an intro, the error
 * of loading (or of an action), notices, then the table (column headers with `scope`, an
 * unlabelled last column for row actions when `actionsLabel` is given) or the empty text,
 * "load more", and whatever follows (the add panel, dialogs).
 */
export function AdminTableSection({
  title,
  intro,
  query,
  count,
  error,
  errorOverrides,
  empty,
  loadMoreLabel,
  columns,
  actionsLabel,
  notices,
  rows,
  children,
}: {
  title: string;
  intro: string;
  query: PagedQuery;
  count: number;
  error?: unknown;
  /** The section's own words for a refused action's code. */
  errorOverrides?: ErrorOverrides;
  empty?: string;
  loadMoreLabel: string;
  columns: readonly string[];
  actionsLabel?: string;
  notices?: ReactNode;
  rows: ReactNode;
  children?: ReactNode;
}) {
  const titleId = useId();
  return (
    <section className="admin-section" aria-labelledby={titleId}>
      <h2 id={titleId}>
        {title} {query.data && <span className="count">{count}</span>}
      </h2>
      <p className="muted">{intro}</p>
      {/* A failed load can be tried again; a refused action says why (and the list is re-read). */}
      <ErrorNotice error={query.error} onRetry={() => void query.refetch()} />
      <ErrorNotice error={error} overrides={errorOverrides} />
      {notices}
      {query.isPending && !query.isError ? (
        <SkeletonRows count={6} />
      ) : count === 0 ? (
        empty && !query.isError && <p className="muted">{empty}</p>
      ) : (
        <div className="table-scroll" role="group" aria-labelledby={titleId} tabIndex={0}>
          <table className="table admin-table">
            <thead>
              <tr>
                {columns.map((column) => (
                  <th key={column} scope="col">
                    {column}
                  </th>
                ))}
                {actionsLabel && (
                  <th scope="col">
                    <span className="visually-hidden">{actionsLabel}</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>{rows}</tbody>
          </table>
        </div>
      )}
      <LoadMore query={query} label={loadMoreLabel} />
      {children}
    </section>
  );
}

/** A button that opens (and closes) a form below it, with the notice of the last success. */
export function AddPanel({
  label,
  notice,
  children,
}: {
  label: string;
  notice: string | null;
  children: ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  return (
    <div className="admin-create">
      {notice && (
        <p className="notice notice-ok" role="status">
          {notice}
        </p>
      )}
      <button
        type="button"
        className="button button-quiet"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((current) => !current)}
      >
        {label}
      </button>
      <div id={panelId} hidden={!open}>
        {open && children}
      </div>
    </div>
  );
}

/** A row's action: the short visible label, the full name (with the row's subject) for AT. */
export function RowButton({
  label,
  name,
  disabled,
  title,
  onClick,
}: {
  label: string;
  name: string;
  disabled?: boolean;
  title?: string;
  onClick(): void;
}) {
  return (
    <button
      type="button"
      className="button button-quiet"
      aria-label={name}
      disabled={disabled}
      title={title}
      onClick={onClick}
    >
      {label}
    </button>
  );
}
