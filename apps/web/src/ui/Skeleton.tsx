import { useTranslation } from 'react-i18next';

/**
 * Placeholder rows while a list loads: the layout keeps its shape, and screen readers hear
 * one "loading" instead of the empty rows.
 */
export function SkeletonRows({ count = 6, label }: { count?: number; label?: string }) {
  const { t } = useTranslation();
  return (
    <div className="skeleton-rows" role="status" aria-busy="true">
      <span className="visually-hidden">{label ?? t('app.loading')}</span>
      {Array.from({ length: count }, (_, index) => (
        <div className="skeleton-row" aria-hidden="true" key={index}>
          <span className="skeleton-line skeleton-line-short" />
          <span className="skeleton-line" />
        </div>
      ))}
    </div>
  );
}
