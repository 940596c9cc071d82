import type { DurationStatsDto, ReportSummaryDto } from '@toonbank/shared';
import type { DurationRow, ReportRows } from './reports.repository';
import { windowDates, type ReportWindow } from './report-window';

const HOURS = Array.from({ length: 24 }, (_, hour) => hour);

/** Seconds to the millisecond (timestamps keep microseconds; nobody needs them in a report). */
const seconds = (value: number | null): number | null =>
  value === null ? null : Math.round(value * 1000) / 1000;

const durationOf = (rows: DurationRow[], kind: DurationRow['kind']): DurationStatsDto => {
  const row = rows.find((r) => r.kind === kind);
  return row
    ? { count: row.count, medianSeconds: seconds(row.median), p90Seconds: seconds(row.p90) }
    : { count: 0, medianSeconds: null, p90Seconds: null };
};

/**
 * The rows of one report as `ReportSummaryDto`, with the gaps filled: every hour 0–23,
 * every day of the window, every current channel (removed ones only when they received
 * something in the window), each with 0 where nothing came in.
 */
export function presentReport(window: ReportWindow, rows: ReportRows): ReportSummaryDto {
  const counts = (dimension: 'channel' | 'hour' | 'day') =>
    new Map(
      rows.volume
        .filter((row) => row.dimension === dimension)
        .map((row) => [row.channel_id ?? row.hour ?? row.day, row.count] as const),
    );
  const perChannelCount = counts('channel');
  const perHourCount = counts('hour');
  const perDayCount = counts('day');
  const perChannel = rows.channels
    .map((channel) => ({
      channelId: channel.id,
      name: channel.name,
      provider: channel.provider,
      count: perChannelCount.get(channel.id) ?? 0,
      deleted: channel.deleted,
    }))
    .filter((channel) => !channel.deleted || channel.count > 0)
    .sort(
      (a, b) =>
        b.count - a.count || a.name.localeCompare(b.name) || a.channelId.localeCompare(b.channelId),
    )
    .map(({ deleted: _deleted, ...channel }) => channel);
  return {
    from: window.start.toISOString(),
    to: window.end.toISOString(),
    timeZone: window.timeZone,
    firstResponse: durationOf(rows.durations, 'firstResponse'),
    resolution: durationOf(rows.durations, 'resolution'),
    volume: {
      total: [...perHourCount.values()].reduce((sum, count) => sum + count, 0),
      perChannel,
      perHour: HOURS.map((hour) => ({ hour, count: perHourCount.get(hour) ?? 0 })),
      perDay: windowDates(window).map((date) => ({ date, count: perDayCount.get(date) ?? 0 })),
    },
    agents: rows.agents.map((agent) => ({
      userId: agent.user_id,
      name: agent.name,
      assigned: agent.assigned,
      firstResponses: agent.first_responses,
      medianFirstResponseSeconds: seconds(agent.median),
      slaMet: agent.sla_met,
      slaBreached: agent.sla_breached,
      openNow: agent.open_now,
    })),
    sla: rows.sla,
    maturityHistory: rows.maturity.map((change) => ({
      from: change.from,
      to: change.to,
      reason: change.reason,
      byUserId: change.by_user_id,
      at: change.at.toISOString(),
    })),
  };
}
