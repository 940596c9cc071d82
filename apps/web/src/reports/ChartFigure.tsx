import type { ReactNode } from 'react';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A chart with its title and, for keyboards and screen readers, the same figures as a table
 * behind a disclosure (a chart alone is an image of numbers).
 */
export function ChartFigure({
  title,
  columns,
  rows,
  children,
}: {
  title: string;
  columns: [string, string];
  rows: [string, string | number][];
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <figure className="chart card" aria-labelledby={id}>
      <figcaption id={id} className="chart-title">
        {title}
      </figcaption>
      <div className="chart-area" aria-hidden="true">
        {children}
      </div>
      <details>
        <summary>{t('reports.asTable')}</summary>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{columns[0]}</th>
              <th scope="col">{columns[1]}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([label, value]) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                <td>{value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
