import { useEffect, useState } from 'react';

/**
 * The phone layout (the inbox's list, then detail; the board's tabs; the compact header) is the
 * one at and below 768 px. The style sheets' phone rules use the same query,
 * `@media (max-width: 48rem)` (styles.css, inbox/inbox.css, board/board.css): change them
 * together (a test holds them to this).
 */
export const PHONE_QUERY = '(max-width: 48rem)';

const matches = (query: string): boolean =>
  typeof window !== 'undefined' && typeof window.matchMedia === 'function'
    ? window.matchMedia(query).matches
    : false;

/** Whether a CSS media query matches now, following changes (false where there is no matchMedia). */
export function useMediaQuery(query: string): boolean {
  const [now, setNow] = useState(() => matches(query));
  useEffect(() => {
    if (typeof window.matchMedia !== 'function') return;
    const list = window.matchMedia(query);
    const onChange = () => setNow(list.matches);
    onChange();
    list.addEventListener('change', onChange);
    return () => list.removeEventListener('change', onChange);
  }, [query]);
  return now;
}
