import type { ReportSummaryDto } from '@toonbank/shared';
import { writeCsv, type CsvSection } from './csv';
import { localDateTime, windowDays } from './report-window';

/** `toonbank-report-<first day>-<last day>.csv`, the days of the window in its zone. */
export function reportFileName(report: ReportSummaryDto): string {
  const { first, last } = windowDays({
    start: new Date(report.from),
    end: new Date(report.to),
    timeZone: report.timeZone,
  });
  return `toonbank-report-${first}-${last}.csv`;
}

/**
 * `GET /api/reports/export.csv`: the summary's tables one after the other, each a line
 * naming it, a header row and its rows. Durations are in seconds; instants are local
 * date-times of the organisation's zone with their offset, days are its dates.
 */
export function reportCsv(report: ReportSummaryDto): string {
  const local = (iso: string) => localDateTime(new Date(iso), report.timeZone);
  const sections: CsvSection[] = [
    {
      title: 'Report',
      header: ['from', 'to', 'timeZone'],
      rows: [[local(report.from), local(report.to), report.timeZone]],
    },
    {
      title: 'Response times',
      header: ['measure', 'count', 'medianSeconds', 'p90Seconds'],
      rows: (['firstResponse', 'resolution'] as const).map((measure) => [
        measure,
        report[measure].count,
        report[measure].medianSeconds,
        report[measure].p90Seconds,
      ]),
    },
    { title: 'SLA', header: ['met', 'breached'], rows: [[report.sla.met, report.sla.breached]] },
    { title: 'Volume', header: ['total'], rows: [[report.volume.total]] },
    {
      title: 'Volume per channel',
      header: ['channelId', 'name', 'provider', 'count'],
      rows: report.volume.perChannel.map((c) => [c.channelId, c.name, c.provider, c.count]),
    },
    {
      title: 'Volume per hour',
      header: ['hour', 'count'],
      rows: report.volume.perHour.map((h) => [h.hour, h.count]),
    },
    {
      title: 'Volume per day',
      header: ['date', 'count'],
      rows: report.volume.perDay.map((d) => [d.date, d.count]),
    },
    {
      title: 'Agents',
      header: [
        'userId',
        'name',
        'assigned',
        'firstResponses',
        'medianFirstResponseSeconds',
        'slaMet',
        'slaBreached',
        'openNow',
      ],
      rows: report.agents.map((a) => [
        a.userId,
        a.name,
        a.assigned,
        a.firstResponses,
        a.medianFirstResponseSeconds,
        a.slaMet,
        a.slaBreached,
        a.openNow,
      ]),
    },
    {
      title: 'Maturity history',
      header: ['at', 'from', 'to', 'reason', 'byUserId'],
      rows: report.maturityHistory.map((m) => [local(m.at), m.from, m.to, m.reason, m.byUserId]),
    },
  ];
  return writeCsv(sections);
}
