import { screen, waitFor, within } from '@testing-library/react';
import { DEFAULT_POLICY_MATRIX } from '@toonbank/policy';
import type { ReportSummaryDto, ToneProfileDto } from '@toonbank/shared';
import { createFakeApi, deferred, type StubResponse } from '../test/fakeApi';
import { ADMIN, AGENT, LEAD } from '../test/fixtures';
import { withInbox } from '../test/inboxFakes';
import { renderApp } from '../test/renderApp';

const SUMMARY: ReportSummaryDto = {
  from: '2026-11-19T23:00:00.000Z',
  to: '2026-11-26T23:00:00.000Z',
  timeZone: 'Europe/Amsterdam',
  firstResponse: { count: 12, medianSeconds: 540, p90Seconds: 4800 },
  resolution: { count: 9, medianSeconds: 97_200, p90Seconds: null },
  volume: { total: 41, perChannel: [], perHour: [], perDay: [] },
  agents: [],
  sla: { met: 9, breached: 3 },
  maturityHistory: [],
};

const PROFILE: ToneProfileDto = {
  language: 'nl',
  addressForm: { default: 'informal', perChannel: {}, mirrorCustomer: false },
  forbiddenPhrases: [{ phrase: 'helaas', suggestion: 'jammer genoeg' }],
  signoff: { required: true, pattern: '\\^[A-Z]{2,3}$' },
  emojiAllowed: false,
};

const page = (items: unknown[]): StubResponse => ({
  status: 200,
  body: { items, nextCursor: null },
});
const ok = (body: unknown): StubResponse => ({ status: 200, body });
const failure = (status: number, code: string): StubResponse => ({
  status,
  body: { statusCode: status, code, message: 'the server’s own words' },
});

/**
 * Every screen of this helper's part, table-driven: while its data loads it shows a skeleton
 * (one "Laden…" for screen readers, no bare text), a failed load says why with a retry, and
 * the retry shows the screen. [screen, route, the request that fails once, its answer after,
 * text that shows the screen loaded]
 */
const SCREENS: [string, string, string, StubResponse, string][] = [
  ['reports', '/reports', 'GET /api/reports/summary', ok(SUMMARY), 'Eerste reactie'],
  [
    'admin: users',
    '/admin?section=users',
    'GET /api/users',
    page([ADMIN, LEAD, AGENT]),
    AGENT.name,
  ],
  [
    'admin: channels',
    '/admin?section=channels',
    'GET /api/channels',
    page([]),
    'Er is nog geen kanaal gekoppeld',
  ],
  [
    'admin: tone',
    '/admin?section=tone',
    'GET /api/tone/profile',
    ok(PROFILE),
    'Verboden woorden en zinnen',
  ],
  [
    'admin: templates',
    '/admin?section=templates',
    'GET /api/templates',
    page([]),
    'Nog geen sjablonen',
  ],
  ['admin: audit', '/admin?section=audit', 'GET /api/audit', page([]), 'Geen regels'],
  [
    'admin: policy',
    '/admin?section=maturity',
    'GET /api/org/policy',
    ok({
      level: 1,
      rules: DEFAULT_POLICY_MATRIX['1'],
      matrix: DEFAULT_POLICY_MATRIX,
      trustLadder: { approvalsToLift: 20 },
    }),
    'Matrix bewerken',
  ],
];

const openAs = (route: string) => {
  const fake = createFakeApi({ users: [ADMIN] });
  withInbox(fake);
  fake.override('GET /api/reports/summary', () => ok(SUMMARY));
  fake.override('GET /api/tone/profile', () => ok(PROFILE));
  fake.override('GET /api/audit', () => page([]));
  fake.override('GET /api/channels', () => page([]));
  fake.rememberSession(ADMIN.email);
  return { fake, open: () => renderApp(fake, { route }) };
};

describe('load states of every screen', () => {
  it.each(SCREENS)('%s: a skeleton while it loads', async (_name, route, key, answer, ready) => {
    const { fake, open } = openAs(route);
    const held = deferred();
    fake.override(key, async () => {
      await held.promise;
      return answer;
    });
    const { container } = open();
    await waitFor(() => expect(fake.sent(...(key.split(' ') as [string, string]))).toHaveLength(1));
    const skeleton = container.querySelector('.skeleton-rows, .report-skeleton');
    expect(skeleton).not.toBeNull();
    expect(skeleton).toHaveAttribute('role', 'status');
    expect(within(skeleton as HTMLElement).getByText('Laden…')).toBeInTheDocument();
    held.resolve();
    expect((await screen.findAllByText(new RegExp(ready))).length).toBeGreaterThan(0);
    expect(container.querySelector('.skeleton-rows, .report-skeleton')).toBeNull();
  });

  it.each(SCREENS)(
    '%s: a failed load says why and offers to try again',
    async (_name, route, key, answer, ready) => {
      const { fake, open } = openAs(route);
      let failures = 1;
      fake.override(key, () => (failures-- > 0 ? failure(503, 'service.unavailable') : answer));
      const { user } = open();
      const said = await screen.findByText(
        'Dit kan nu niet: een deel van Toonbank is onbereikbaar. Probeer het later opnieuw.',
      );
      const alert = said.closest('[role="alert"]') as HTMLElement;
      expect(alert).not.toBeNull();
      await user.click(within(alert).getByRole('button', { name: 'Opnieuw proberen' }));
      expect((await screen.findAllByText(new RegExp(ready))).length).toBeGreaterThan(0);
      expect(alert).not.toBeInTheDocument();
    },
  );
});

describe('the first load of the app', () => {
  it('restoring the session shows the shell’s shape, then the app', async () => {
    const fake = createFakeApi({ users: [ADMIN] });
    withInbox(fake);
    fake.rememberSession(ADMIN.email);
    const held = deferred();
    const me = fake.route('GET /api/me')!;
    fake.override('GET /api/me', async (request) => {
      await held.promise;
      return me(request);
    });
    const { container } = renderApp(fake, { route: '/me' });
    expect(await screen.findByRole('status')).toHaveTextContent('Sessie herstellen…');
    expect(container.querySelector('.skeleton-rows')).not.toBeNull();
    held.resolve();
    expect(await screen.findByRole('heading', { name: 'Mijn werk' })).toBeInTheDocument();
  });

  it('a restore the server did not answer says so, with a retry and a way to sign in', async () => {
    const fake = createFakeApi({ users: [ADMIN] });
    withInbox(fake);
    fake.rememberSession(ADMIN.email);
    const me = fake.route('GET /api/me')!;
    let failures = 1;
    fake.override('GET /api/me', (request) =>
      failures-- > 0 ? failure(502, 'unavailable') : me(request),
    );
    const { user } = renderApp(fake, { route: '/me' });
    expect(
      await screen.findByRole('heading', { name: 'Je sessie kon niet worden hersteld' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent(
      'Toonbank is niet bereikbaar. Controleer je verbinding en probeer het opnieuw.',
    );
    expect(screen.getByRole('link', { name: 'Opnieuw inloggen' })).toHaveAttribute(
      'href',
      '/login',
    );
    await user.click(screen.getByRole('button', { name: 'Opnieuw proberen' }));
    expect(await screen.findByRole('heading', { name: 'Mijn werk' })).toBeInTheDocument();
  });
});
