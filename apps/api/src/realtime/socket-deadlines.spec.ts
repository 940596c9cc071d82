import { SocketDeadlines } from './socket-deadlines';

describe('SocketDeadlines', () => {
  let deadlines: SocketDeadlines;
  let expired: string[];
  const expire = (id: string) => () => expired.push(id);

  beforeEach(() => {
    jest.useFakeTimers({ now: 1_000_000 });
    deadlines = new SocketDeadlines();
    expired = [];
  });
  afterEach(() => {
    deadlines.onModuleDestroy();
    jest.useRealTimers();
  });

  it.each([
    ['a first deadline is set', [], 1_000_500, 1_000_500],
    ['a later one moves it', [1_000_500], 1_000_900, 1_000_900],
    ['an earlier one does not', [1_000_900], 1_000_500, 1_000_900],
    ['an equal one changes nothing', [1_000_500], 1_000_500, 1_000_500],
  ])('%s', (_what, before, at, inForce) => {
    for (const previous of before) deadlines.extend('s', previous, expire('s'));
    expect(deadlines.extend('s', at, expire('s'))).toBe(inForce);
    jest.advanceTimersByTime(inForce - 1_000_000 - 1);
    expect(expired).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(expired).toEqual(['s']);
    expect(deadlines.size).toBe(0);
  });

  it('a deadline already past expires at once; a cancelled one never', () => {
    deadlines.extend('late', 999_000, expire('late'));
    deadlines.extend('gone', 1_000_100, expire('gone'));
    deadlines.cancel('gone');
    jest.advanceTimersByTime(0);
    expect(expired).toEqual(['late']);
    jest.advanceTimersByTime(10_000);
    expect(expired).toEqual(['late']);
    expect(deadlines.size).toBe(0);
  });

  it('a deadline beyond the longest timer is reached in steps, not at once', () => {
    const month = 31 * 24 * 3600 * 1000;
    deadlines.extend('s', 1_000_000 + month, expire('s'));
    jest.advanceTimersByTime(2 ** 31);
    expect(expired).toEqual([]);
    jest.advanceTimersByTime(month - 2 ** 31);
    expect(expired).toEqual(['s']);
  });

  it('nothing fires after the module is destroyed', () => {
    deadlines.extend('s', 1_000_100, expire('s'));
    deadlines.onModuleDestroy();
    jest.advanceTimersByTime(1_000);
    expect(expired).toEqual([]);
  });
});
