/** A moment for people: date and time to the minute, in the user's locale. */
export const formatMoment = (iso: string): string =>
  new Date(iso).toLocaleString([], { dateStyle: 'short', timeStyle: 'short' });
