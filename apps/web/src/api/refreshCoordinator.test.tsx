import { ADMIN } from '../test/fixtures';
import { createFakeApi, errorResponse, type FakeApi } from '../test/fakeApi';
import { ApiClient } from './client';
import type { Locks, TabChannel } from './refreshCoordinator';

/** The browser's Web Locks: one holder per name at a time, the others in turn. */
function fakeLocks(): Locks {
  const tails = new Map<string, Promise<unknown>>();
  return {
    request<T>(name: string, callback: () => Promise<T>): Promise<T> {
      const before = tails.get(name) ?? Promise.resolve();
      const turn = before.then(callback, callback);
      tails.set(
        name,
        turn.catch(() => undefined),
      );
      return turn;
    },
  };
}

/** BroadcastChannel: a message reaches every other tab's channel, a task later, never the sender. */
function fakeBroadcast() {
  const channels: Array<{ listeners: Array<(event: MessageEvent) => void> }> = [];
  return {
    channel(): TabChannel {
      const self = { listeners: [] as Array<(event: MessageEvent) => void> };
      channels.push(self);
      return {
        postMessage(message) {
          for (const other of channels) {
            if (other === self) continue;
            setTimeout(() => {
              for (const listener of other.listeners)
                listener({ data: JSON.parse(JSON.stringify(message)) } as MessageEvent);
            }, 0);
          }
        },
        addEventListener(_type, listener) {
          self.listeners.push(listener);
        },
      };
    },
  };
}

/** Two tabs of one browser: one cookie jar (the fake API), one storage. */
function twoTabs(fake: FakeApi, browser: { locks?: Locks; broadcast?: boolean }) {
  // A refresh takes a network round trip, as in the browser (messages arrive meanwhile).
  const refresh = fake.route('POST /api/auth/refresh');
  fake.override('POST /api/auth/refresh', async (request) => {
    await new Promise((resolve) => setTimeout(resolve, 10));
    return refresh(request);
  });
  const broadcast = browser.broadcast ? fakeBroadcast() : undefined;
  const tab = () => {
    const api = new ApiClient({
      storage: window.localStorage,
      fetch: fake.fetch,
      locks: browser.locks,
      tabChannel: broadcast?.channel(),
    });
    const signedOut = jest.fn();
    api.onSignedOut(signedOut);
    return { api, signedOut };
  };
  return [tab(), tab()] as const;
}

const lastAccessToken = async (api: ApiClient) => api.socketToken();

describe('refreshes across tabs', () => {
  it('with Web Locks and a channel, one tab refreshes and the other takes its token', async () => {
    const fake = createFakeApi({ users: [ADMIN] });
    fake.rememberSession(ADMIN.email);
    const [first, second] = twoTabs(fake, { locks: fakeLocks(), broadcast: true });

    const results = await Promise.all([first.api.refresh(), second.api.refresh()]);

    expect(results).toEqual([true, true]);
    expect(fake.sent('POST', '/api/auth/refresh')).toHaveLength(1);
    expect(await lastAccessToken(second.api)).toBe(await lastAccessToken(first.api));
    expect(first.signedOut).not.toHaveBeenCalled();
    expect(second.signedOut).not.toHaveBeenCalled();
  });

  it('with Web Locks only, the tabs refresh in turn, each with the newest cookie', async () => {
    const fake = createFakeApi({ users: [ADMIN] });
    fake.rememberSession(ADMIN.email);
    const [first, second] = twoTabs(fake, { locks: fakeLocks() });

    const results = await Promise.all([first.api.refresh(), second.api.refresh()]);

    expect(results).toEqual([true, true]);
    const cookies = fake.sent('POST', '/api/auth/refresh');
    expect(cookies).toHaveLength(2);
    expect(second.signedOut).not.toHaveBeenCalled();
  });

  it('without Web Locks, the earliest claim on the channel refreshes and the other tab takes its token', async () => {
    const fake = createFakeApi({ users: [ADMIN] });
    fake.rememberSession(ADMIN.email);
    const [first, second] = twoTabs(fake, { broadcast: true });

    const results = await Promise.all([first.api.refresh(), second.api.refresh()]);

    expect(results).toEqual([true, true]);
    expect(fake.sent('POST', '/api/auth/refresh')).toHaveLength(1);
    expect(await lastAccessToken(second.api)).toBe(await lastAccessToken(first.api));
  });

  it('without Web Locks, a tab refreshes by itself when the tab it waited for got no answer', async () => {
    const fake = createFakeApi({ users: [ADMIN] });
    fake.rememberSession(ADMIN.email);
    const [first, second] = twoTabs(fake, { broadcast: true });
    const refresh = fake.route('POST /api/auth/refresh');
    let calls = 0;
    fake.override('POST /api/auth/refresh', (request) => {
      calls += 1;
      return calls === 1 ? errorResponse(503, 'unavailable') : refresh(request);
    });

    const results = await Promise.allSettled([first.api.refresh(), second.api.refresh()]);

    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(results.find((result) => result.status === 'fulfilled')).toEqual({
      status: 'fulfilled',
      value: true,
    });
    expect(fake.sent('POST', '/api/auth/refresh')).toHaveLength(2);
  });

  it('a tab that asks later than another tab’s refresh refreshes itself (the token it saw is not newer than its question)', async () => {
    const fake = createFakeApi({ users: [ADMIN] });
    fake.rememberSession(ADMIN.email);
    const [first, second] = twoTabs(fake, { locks: fakeLocks(), broadcast: true });

    await first.api.refresh();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await second.api.refresh();

    expect(fake.sent('POST', '/api/auth/refresh')).toHaveLength(2);
    expect(second.signedOut).not.toHaveBeenCalled();
  });
});
