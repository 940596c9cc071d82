import { Injectable } from '@nestjs/common';
import { ApiError, type Principal } from '@toonbank/platform';
import type { ReportSummaryDto } from '@toonbank/shared';
import { reportCsv, reportFileName } from './report-csv';
import { presentReport } from './report.presenter';
import { resolveReportWindow, type ReportWindow, type ReportWindowQuery } from './report-window';
import { ReportsRepository } from './reports.repository';

/**
 * The reports of API.md §Audit, reports, privacy (team_lead, admin; permission `report.read`).
 *
 * - `GET /api/reports/summary?from=&to=` → 200 `ReportSummaryDto` (libs/shared):
 *   `{ from, to, timeZone,
 *      firstResponse: { count, medianSeconds, p90Seconds },
 *      resolution: { count, medianSeconds, p90Seconds },
 *      volume: { total, perChannel: [{ channelId, name, provider, count }],
 *                perHour: [{ hour, count }], perDay: [{ date, count }] },
 *      agents: [{ userId, name, assigned, firstResponses, medianFirstResponseSeconds,
 *                 slaMet, slaBreached, openNow }],
 *      sla: { met, breached },
 *      maturityHistory: [{ from, to, reason, byUserId, at }] }`
 * - `GET /api/reports/export.csv?from=&to=` → 200 `text/csv; charset=utf-8`, attachment
 *   `toonbank-report-<first day>-<last day>.csv`: the same tables as sections (report-csv.ts).
 *
 * The window: `from` and `to` are dates (`YYYY-MM-DD`, days in the organisation's zone,
 * `to` inclusive) or date-times with `Z` or an offset (`to` exclusive). Default: the last
 * seven days, today included. 400 `validation.failed` (details.fields `from`/`to`) for a bad
 * format, a `from` not before `to`, or a span over 366 days. In the answer `from` and `to`
 * are the window's instants in UTC, `to` exclusive: [from, to).
 *
 * The figures, all of the caller's organisation only:
 * - first response: conversations created in the window that have a first response;
 *   seconds = first_response_at − created_at (wall clock: the SLA's business hours are in
 *   its due time, not here). Median = percentile_cont(0.5), p90 = percentile_cont(0.9)
 *   (interpolated); null when there is none. Seconds are rounded to the millisecond.
 * - resolution: conversations closed in the window (closed_at, which reopening clears: a
 *   reopened conversation counts when it is closed again); seconds = closed_at − created_at.
 * - volume: inbound messages received in the window (by the time the channel gives the
 *   message); notes and outbound replies are not volume. Per channel (every current
 *   channel, removed ones only when they received something), per hour of the day 0–23 and
 *   per day, both in the organisation's zone (a 23- or 25-hour day when clocks change).
 * - sla: conversations whose first-response due time falls in the window, once known:
 *   met = answered by the due time; breached = flagged by the SLA timer, answered late, or
 *   due and unanswered (a conversation closed unanswered before its due time counts as
 *   neither, nor does one whose due time is still ahead).
 * - agents: every user with a figure in the window or conversations now. `assigned` =
 *   distinct conversations assigned to them in the window (the audit log's
 *   `conversation.assigned`: routing, a lead's assignment, a claim); `firstResponses` and
 *   `medianFirstResponseSeconds` = the first-response population above, each conversation
 *   to the author of its first sent reply; `slaMet`/`slaBreached` = the sla population, each
 *   to the author of the first sent reply, or, unanswered, to the current assignee
 *   (unassigned breaches count in `sla` only); `openNow` = `assigned` + `waiting` held now.
 * - maturityHistory: the level changes in the window, oldest first.
 */
@Injectable()
export class ReportsService {
  constructor(private readonly reports: ReportsRepository) {}

  async summary(
    principal: Principal,
    query: ReportWindowQuery,
    now = new Date(),
  ): Promise<ReportSummaryDto> {
    const window = this.window(principal, query, now);
    return presentReport(window, await this.reports.read(principal.organisation.id, window, now));
  }

  async csv(
    principal: Principal,
    query: ReportWindowQuery,
  ): Promise<{ fileName: string; body: string }> {
    const report = await this.summary(principal, query);
    return { fileName: reportFileName(report), body: reportCsv(report) };
  }

  private window(principal: Principal, query: ReportWindowQuery, now: Date): ReportWindow {
    const resolved = resolveReportWindow(query, principal.organisation.timeZone, now);
    if (resolved.ok) return resolved.window;
    const fields = resolved.problems as Record<string, string[]>;
    throw ApiError.validation(`Invalid report window: ${Object.keys(fields).join(', ')}.`, fields);
  }
}
