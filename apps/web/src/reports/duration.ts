/** A duration for people: "45 s", "12 min", "1 h 20 min", "2 d 3 h"; "—" when there is none. */
export function formatDuration(seconds: number | null, units: DurationUnits): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} ${units.s}`;
  const minutes = Math.round(s / 60);
  if (minutes < 60) return `${minutes} ${units.min}`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24)
    return minutes % 60
      ? `${hours} ${units.h} ${minutes % 60} ${units.min}`
      : `${hours} ${units.h}`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} ${units.d} ${hours % 24} ${units.h}` : `${days} ${units.d}`;
}

export interface DurationUnits {
  s: string;
  min: string;
  h: string;
  d: string;
}
