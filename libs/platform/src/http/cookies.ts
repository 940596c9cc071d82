/**
 * The value of one cookie in a Cookie header, or undefined. One pass over the header's
 * `;`-separated pairs (linear in its length); the first pair of that name wins, as browsers
 * send the most specific path first.
 */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  // Walked by index rather than split: an array of thousands of short strings costs the
  // garbage collector more than linear time.
  let equals = -1;
  for (let start = 0; start <= header.length;) {
    const semicolon = header.indexOf(';', start);
    const end = semicolon < 0 ? header.length : semicolon;
    // The next `=` is searched for again only once passed, or `;;;…=` would be quadratic.
    if (equals < start) equals = header.indexOf('=', start);
    if (equals < 0) return undefined;
    if (equals < end && header.slice(start, equals).trim() === name) {
      const value = header.slice(equals + 1, end).trim();
      return value === '' ? undefined : value;
    }
    start = end + 1;
  }
  return undefined;
}
