/** Reset times as channels send them: Mastodon an ISO-8601 time, X and Bluesky epoch seconds. */
export function resetTimeFrom(value: string | undefined, now = new Date()): Date | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    const seconds = Number(trimmed);
    // Small numbers are a delay in seconds (Retry-After), large ones an epoch time.
    return new Date(seconds < 1e9 ? now.getTime() + seconds * 1000 : seconds * 1000);
  }
  const parsed = Date.parse(trimmed);
  return Number.isNaN(parsed) ? null : new Date(parsed);
}

/** When to try again after a 429: the channel's reset time, else a minute. */
export function retryAtAfterThrottle(headerValues: (string | undefined)[], now = new Date()): Date {
  for (const value of headerValues) {
    const at = resetTimeFrom(value, now);
    if (at && at.getTime() > now.getTime()) return at;
  }
  return new Date(now.getTime() + 60_000);
}
