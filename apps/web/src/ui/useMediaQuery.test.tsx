import { act, renderHook } from '@testing-library/react';
import { PHONE_QUERY, useMediaQuery } from './useMediaQuery';

/** A matchMedia whose answer the test changes, telling listeners as a browser does. */
function fakeMatchMedia(initial: boolean) {
  let matches = initial;
  const listeners = new Set<() => void>();
  const matchMedia = (media: string) => ({
    get matches() {
      return matches;
    },
    media,
    addEventListener: (_: string, listener: () => void) => listeners.add(listener),
    removeEventListener: (_: string, listener: () => void) => listeners.delete(listener),
  });
  return {
    matchMedia: matchMedia as unknown as typeof window.matchMedia,
    set(next: boolean) {
      matches = next;
      listeners.forEach((listener) => listener());
    },
    listeners,
  };
}

describe('useMediaQuery', () => {
  const original = window.matchMedia;
  afterEach(() => {
    window.matchMedia = original;
  });

  it('answers now and follows changes until unmounted', () => {
    const fake = fakeMatchMedia(true);
    window.matchMedia = fake.matchMedia;
    const { result, unmount } = renderHook(() => useMediaQuery(PHONE_QUERY));
    expect(result.current).toBe(true);
    act(() => fake.set(false));
    expect(result.current).toBe(false);
    unmount();
    expect(fake.listeners.size).toBe(0);
  });
});
