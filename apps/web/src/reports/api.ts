import { useQuery } from '@tanstack/react-query';
import type { ReportSummaryDto } from '@toonbank/shared';
import { useApi } from '../api/ApiContext';

export interface ReportWindow {
  /** Days in the organisation's time zone, `YYYY-MM-DD`, both included. */
  from: string;
  to: string;
}

export const windowQuery = ({ from, to }: ReportWindow) =>
  new URLSearchParams({ from, to }).toString();

export function useReportSummary(window: ReportWindow) {
  const api = useApi();
  return useQuery({
    queryKey: ['reports', 'summary', window],
    queryFn: ({ signal }) =>
      api.get<ReportSummaryDto>(`/reports/summary?${windowQuery(window)}`, { signal }),
  });
}
