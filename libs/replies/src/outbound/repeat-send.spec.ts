import { IDEMPOTENCY_MARGIN_MS, mayRepeatSend } from './repeat-send';

const STARTED = new Date('2026-06-15T12:00:00.000Z');
const after = (ms: number) => new Date(STARTED.getTime() + ms);
const HOUR = 60 * 60_000;

describe('mayRepeatSend: an attempt that may have arrived is made again only where the channel de-duplicates', () => {
  it.each([
    // channel, capabilities, elapsed, repeat?
    ['no idempotency (X, Meta), at once', { idempotentSend: false }, 0, false],
    [
      'no idempotency, even with a window',
      { idempotentSend: false, idempotencyWindowMs: HOUR },
      0,
      false,
    ],
    ['a key kept for good (Bluesky), a day later', { idempotentSend: true }, 24 * HOUR, true],
    [
      'a key kept an hour (Mastodon), at once',
      { idempotentSend: true, idempotencyWindowMs: HOUR },
      0,
      true,
    ],
    [
      'a key kept an hour, just inside the margin',
      { idempotentSend: true, idempotencyWindowMs: HOUR },
      HOUR - IDEMPOTENCY_MARGIN_MS - 1,
      true,
    ],
    [
      'a key kept an hour, at the margin',
      { idempotentSend: true, idempotencyWindowMs: HOUR },
      HOUR - IDEMPOTENCY_MARGIN_MS,
      false,
    ],
    [
      'a key kept an hour, after it is forgotten',
      { idempotentSend: true, idempotencyWindowMs: HOUR },
      2 * HOUR,
      false,
    ],
    [
      'a window shorter than the margin',
      { idempotentSend: true, idempotencyWindowMs: 60_000 },
      0,
      false,
    ],
  ])('%s', (_, capabilities, elapsed, expected) => {
    expect(mayRepeatSend(capabilities, STARTED, after(elapsed))).toBe(expected);
  });

  it('keeps five minutes to spare', () => {
    expect(IDEMPOTENCY_MARGIN_MS).toBe(5 * 60_000);
  });
});
