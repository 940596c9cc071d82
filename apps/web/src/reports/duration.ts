import { formatDuration as formatSpan } from '../ui/formatTime';

/**
 * A duration in a report, in the UI's language: "45 s", "12 min", "1 u 20 min", "2 d 3 u"
 * (English "1 h 20 min"); "—" when there is none.
 */
export const formatDuration = (seconds: number | null, language?: string): string =>
  formatSpan(seconds, language, { parts: 2 });
