import type { ReportSummaryDto } from '@toonbank/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDay, formatMoment, formatNumber, formatPercent } from '../ui/formatTime';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useApi } from '../api/ApiContext';
import { useDocumentTitle } from '../app/useDocumentTitle';
import { ErrorNotice } from '../ui/ErrorNotice';
import { useReportSummary, windowQuery, type ReportWindow } from './api';
import { ChartFigure } from './ChartFigure';
import './reports.css';
import { formatDuration } from './duration';

const DAY = 24 * 60 * 60 * 1000;
const isoDay = (date: Date) => date.toISOString().slice(0, 10);
/** The last seven days, today included. */
export const defaultWindow = (now = new Date()): ReportWindow => ({
  from: isoDay(new Date(now.getTime() - 6 * DAY)),
  to: isoDay(now),
});

const BAR = '#0b5c6b';

/** Response times, volumes, load and SLA per agent, with the figures as CSV. */
export function ReportsPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('nav.reports'));
  const api = useApi();
  const [window, setWindow] = useState<ReportWindow>(() => defaultWindow());
  const summary = useReportSummary(window);
  const [exporting, setExporting] = useState<unknown>(null);

  const exportCsv = async () => {
    setExporting(null);
    try {
      const csv = await api.get<string>(`/reports/export.csv?${windowQuery(window)}`, {
        responseType: 'text',
      });
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = `toonbank-report-${window.from}-${window.to}.csv`;
      link.click();
      URL.revokeObjectURL(url);
    } catch (error) {
      setExporting(error);
    }
  };

  return (
    <section className="page page-wide reports" aria-labelledby="reports-title">
      <h1 id="reports-title">{t('nav.reports')}</h1>
      <form className="form-row" onSubmit={(event) => event.preventDefault()}>
        <label className="field">
          <span className="field-label">{t('reports.from')}</span>
          <input
            type="date"
            value={window.from}
            max={window.to}
            onChange={(e) => e.target.value && setWindow({ ...window, from: e.target.value })}
          />
        </label>
        <label className="field">
          <span className="field-label">{t('reports.to')}</span>
          <input
            type="date"
            value={window.to}
            min={window.from}
            onChange={(e) => e.target.value && setWindow({ ...window, to: e.target.value })}
          />
        </label>
        <button type="button" className="button" onClick={() => void exportCsv()}>
          {t('reports.export')}
        </button>
      </form>
      <ErrorNotice error={exporting} />
      <ErrorNotice error={summary.error} onRetry={() => void summary.refetch()} />
      {summary.data ? <Report summary={summary.data} /> : !summary.isError && <ReportSkeleton />}
    </section>
  );
}

/** The report's shape while it loads: four figures and three charts, one "loading" for AT. */
function ReportSkeleton() {
  const { t } = useTranslation();
  return (
    <div className="report-skeleton" role="status" aria-busy="true">
      <span className="visually-hidden">{t('app.loading')}</span>
      <div className="kpis" aria-hidden="true">
        {[0, 1, 2, 3].map((index) => (
          <div className="kpi card" key={index}>
            <span className="skeleton-line skeleton-line-short" />
            <span className="skeleton-line skeleton-figure" />
          </div>
        ))}
      </div>
      <div className="charts" aria-hidden="true">
        {[0, 1, 2].map((index) => (
          <div className="chart card" key={index}>
            <span className="skeleton-line skeleton-line-short" />
            <span className="skeleton-chart" />
          </div>
        ))}
      </div>
    </div>
  );
}

function Report({ summary }: { summary: ReportSummaryDto }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const duration = (s: number | null) => formatDuration(s, language);
  const number = (n: number) => formatNumber(n, language);
  const slaTotal = summary.sla.met + summary.sla.breached;
  const perChannel = summary.volume.perChannel.map((c) => ({ label: c.name, count: c.count }));
  const perHour = summary.volume.perHour.map((h) => ({
    label: `${String(h.hour).padStart(2, '0')}:00`,
    count: h.count,
  }));
  const perDay = summary.volume.perDay.map((d) => ({
    label: formatDay(d.date, language),
    count: d.count,
  }));
  const bars = (data: { label: string; count: number }[]) => (
    <ResponsiveContainer width="100%" height={220}>
      <BarChart
        data={data}
        margin={{ top: 8, right: 8, bottom: 8, left: 0 }}
        // The figures are offered as a table beside the chart; the chart itself is decoration.
        accessibilityLayer={false}
      >
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="label" tick={{ fontSize: 12 }} />
        <YAxis allowDecimals={false} tick={{ fontSize: 12 }} width={40} />
        <Tooltip />
        <Bar dataKey="count" name={t('reports.messages')} fill={BAR} />
      </BarChart>
    </ResponsiveContainer>
  );
  const rows = (data: { label: string; count: number }[]): [string, string][] =>
    data.map((d) => [d.label, number(d.count)]);

  return (
    <>
      <dl className="kpis">
        <div className="kpi card">
          <dt>{t('reports.firstResponse')}</dt>
          <dd>{duration(summary.firstResponse.medianSeconds)}</dd>
          <dd className="muted">
            {t('reports.p90', { value: duration(summary.firstResponse.p90Seconds) })} ·{' '}
            {t('reports.count', { count: summary.firstResponse.count })}
          </dd>
        </div>
        <div className="kpi card">
          <dt>{t('reports.resolution')}</dt>
          <dd>{duration(summary.resolution.medianSeconds)}</dd>
          <dd className="muted">
            {t('reports.p90', { value: duration(summary.resolution.p90Seconds) })} ·{' '}
            {t('reports.count', { count: summary.resolution.count })}
          </dd>
        </div>
        <div className="kpi card">
          <dt>{t('reports.volume')}</dt>
          <dd>{number(summary.volume.total)}</dd>
          <dd className="muted">{t('reports.inbound')}</dd>
        </div>
        <div className="kpi card">
          <dt>{t('reports.sla')}</dt>
          <dd>{slaTotal ? formatPercent(summary.sla.met / slaTotal, language) : '—'}</dd>
          <dd className={summary.sla.breached ? 'sla-breached' : 'muted'}>
            {t('reports.breaches', { count: summary.sla.breached })}
          </dd>
        </div>
      </dl>
      <div className="charts">
        <ChartFigure
          title={t('reports.perDay')}
          columns={[t('reports.day'), t('reports.messages')]}
          rows={rows(perDay)}
        >
          {bars(perDay)}
        </ChartFigure>
        <ChartFigure
          title={t('reports.perHour')}
          columns={[t('reports.hour'), t('reports.messages')]}
          rows={rows(perHour)}
        >
          {bars(perHour)}
        </ChartFigure>
        <ChartFigure
          title={t('reports.perChannel')}
          columns={[t('reports.channel'), t('reports.messages')]}
          rows={rows(perChannel)}
        >
          {bars(perChannel)}
        </ChartFigure>
      </div>
      <section aria-labelledby="agents-title">
        <h2 id="agents-title">{t('reports.agents')}</h2>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('reports.agent')}</th>
              <th scope="col">{t('reports.assigned')}</th>
              <th scope="col">{t('reports.firstResponses')}</th>
              <th scope="col">{t('reports.medianFirstResponse')}</th>
              <th scope="col">{t('reports.slaMet')}</th>
              <th scope="col">{t('reports.slaBreached')}</th>
              <th scope="col">{t('reports.openNow')}</th>
            </tr>
          </thead>
          <tbody>
            {summary.agents.map((agent) => (
              <tr key={agent.userId}>
                <th scope="row">{agent.name}</th>
                <td>{number(agent.assigned)}</td>
                <td>{number(agent.firstResponses)}</td>
                <td>{duration(agent.medianFirstResponseSeconds)}</td>
                <td>{number(agent.slaMet)}</td>
                <td className={agent.slaBreached ? 'sla-breached' : undefined}>
                  {number(agent.slaBreached)}
                </td>
                <td>{number(agent.openNow)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="maturity-history-title">
        <h2 id="maturity-history-title">{t('reports.maturityHistory')}</h2>
        {summary.maturityHistory.length === 0 ? (
          <p className="muted">{t('reports.noMaturityChanges')}</p>
        ) : (
          <ul>
            {summary.maturityHistory.map((change) => (
              <li key={change.at}>
                <time dateTime={change.at}>{formatMoment(change.at, language)}</time>:{' '}
                {t('reports.maturityChange', { from: change.from, to: change.to })} —{' '}
                {change.reason}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
