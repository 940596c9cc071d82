/** The start of a text, for a one-line notification. */
export const excerpt = (text: string, max = 80): string =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text;
