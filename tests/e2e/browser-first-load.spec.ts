import type { Page } from 'playwright-core';
import { signIn, TEXTS, useBrowserSuite } from '../support/browser';
import { seedBusyDay, type BusyDay } from '../support/busy-day';

/**
 * The first load of the built app with a valid session (issue 14, serving): every API
 * resource the screen needs is asked for once, also after the live socket has connected
 * (a refetch on connect or resync racing the first load would show here as a second read).
 * The same, under React's StrictMode (development), is apps/web/src/app/FirstLoad.test.tsx.
 */
/** The requests sent more than once (other screens' reads may be added: none may repeat). */
const twice = (counts: Record<string, number>) =>
  Object.entries(counts).filter(([, count]) => count > 1);

describe('the first load in a browser', () => {
  const suite = useBrowserSuite('load');
  let day: BusyDay;

  beforeAll(async () => {
    day = await seedBusyDay(suite.db, { conversations: 320 });
  }, 60_000);

  /**
   * A page signed in through the login page; then `path` is loaded afresh (the refresh cookie
   * and the signed-in marker are all that is left), and each API request is counted by
   * method and path until the socket is connected and the network is quiet.
   */
  async function firstLoad(email: string, path: string, ready: (page: Page) => Promise<void>) {
    const page = await suite.newPage();
    await signIn(page, email);
    const counts: Record<string, number> = {};
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (!url.pathname.startsWith('/api/')) return;
      const key = `${request.method()} ${url.pathname}`;
      counts[key] = (counts[key] ?? 0) + 1;
    });
    const socketConnected = new Promise<void>((resolve) => {
      page.on('websocket', (socket) =>
        socket.on('framereceived', ({ payload }) => {
          if (String(payload).startsWith('40/inbox,{"sid"')) resolve();
        }),
      );
    });
    await page.goto(path);
    await ready(page);
    await socketConnected;
    await page.waitForLoadState('networkidle');
    return counts;
  }

  it('/ : the session, me and the organisation, once each', async () => {
    const counts = await firstLoad(day.agents[0].email, '/', (page) =>
      page.getByRole('heading', { name: TEXTS.nl.home.title }).waitFor(),
    );
    expect(twice(counts)).toEqual([]);
    expect(counts).toMatchObject({
      'POST /api/auth/refresh': 1,
      'GET /api/me': 1,
      'GET /api/org': 1,
    });
  });

  it('/inbox : the list, the colleagues and the organisation, once each', async () => {
    const counts = await firstLoad(day.agents[0].email, '/inbox', (page) =>
      page
        .getByRole('list', { name: TEXTS.nl.inbox.tab.mine })
        .getByRole('listitem')
        .first()
        .waitFor(),
    );
    expect(twice(counts)).toEqual([]);
    expect(counts).toMatchObject({
      'POST /api/auth/refresh': 1,
      'GET /api/me': 1,
      'GET /api/org': 1,
      'GET /api/conversations': 1,
      'GET /api/conversations/counts': 1,
      'GET /api/users': 1,
    });
  });

  it('/board (a team lead): every read once', async () => {
    const counts = await firstLoad(day.teamLead.email, '/board', (page) =>
      page.getByRole('heading', { level: 1 }).waitFor(),
    );
    expect(twice(counts)).toEqual([]);
    expect(counts).toMatchObject({
      'POST /api/auth/refresh': 1,
      'GET /api/me': 1,
      'GET /api/org': 1,
      'GET /api/conversations': 1,
      'GET /api/users': 1,
      'GET /api/users/eligible': 1,
      'GET /api/replies': 1,
    });
  });
});
