import { reconnectDelayMs, SocketReconnector } from './reconnect';

const setup = (refresh: () => Promise<boolean>) => {
  const socket = {
    connected: false,
    connect: jest.fn(() => {
      socket.connected = true;
    }),
  };
  const api = { hasStoredSession: jest.fn(() => true), refresh: jest.fn(refresh) };
  // random() = 1: each delay is its ceiling, so the schedule is exact.
  const reconnector = new SocketReconnector(socket, api, () => 1);
  return { socket, api, reconnector };
};

describe('reconnecting the live socket with backoff', () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick'] }));
  afterEach(() => jest.useRealTimers());

  it.each([
    [0, 0, 500],
    [0, 1, 1_000],
    [1, 1, 2_000],
    [3, 1, 8_000],
    [5, 1, 30_000],
    [40, 0.5, 22_500],
  ])('attempt %i with random %f waits %i ms', (attempt, random, expected) => {
    expect(reconnectDelayMs(attempt, () => random)).toBe(expected);
  });

  it('renews the token, then connects, after the first delay', async () => {
    const { socket, api, reconnector } = setup(async () => true);
    reconnector.schedule();
    await jest.advanceTimersByTimeAsync(999);
    expect(api.refresh).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    expect(api.refresh).toHaveBeenCalledTimes(1);
    expect(socket.connect).toHaveBeenCalledTimes(1);
  });

  it('waits twice as long after each renewal that got no answer, and starts over once connected', async () => {
    let answers = false;
    const { socket, api, reconnector } = setup(async () => {
      if (!answers) throw new Error('no answer');
      return true;
    });
    reconnector.schedule();
    await jest.advanceTimersByTimeAsync(1_000 + 2_000 + 4_000);
    expect(api.refresh).toHaveBeenCalledTimes(3);
    answers = true;
    await jest.advanceTimersByTimeAsync(7_999);
    expect(socket.connect).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    expect(socket.connect).toHaveBeenCalledTimes(1);

    reconnector.connected();
    socket.connected = false;
    reconnector.schedule();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(socket.connect).toHaveBeenCalledTimes(2);
  });

  it('stops when the renewal is refused (the session is over) or the session is gone', async () => {
    const { socket, api, reconnector } = setup(async () => false);
    reconnector.schedule();
    await jest.advanceTimersByTimeAsync(60_000);
    expect(api.refresh).toHaveBeenCalledTimes(1);
    expect(socket.connect).not.toHaveBeenCalled();

    api.hasStoredSession.mockReturnValue(false);
    reconnector.schedule();
    await jest.advanceTimersByTimeAsync(60_000);
    expect(api.refresh).toHaveBeenCalledTimes(1);
  });

  it('schedules one attempt at a time, and none once stopped', async () => {
    const { api, reconnector } = setup(async () => true);
    reconnector.schedule();
    reconnector.schedule();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(api.refresh).toHaveBeenCalledTimes(1);
    reconnector.stop();
    reconnector.schedule();
    await jest.advanceTimersByTimeAsync(60_000);
    expect(api.refresh).toHaveBeenCalledTimes(1);
  });
});
