/**
 * The value of one cookie in a Cookie header, or undefined. One pass over the header's
 * `;`-separated pairs (linear in its length); the first pair of that name wins, as browsers
 * send the most specific path first.
 */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const equals = pair.indexOf('=');
    if (equals < 0 || pair.slice(0, equals).trim() !== name) continue;
    const value = pair.slice(equals + 1).trim();
    return value === '' ? undefined : value;
  }
  return undefined;
}
