import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { ReportSummaryDto } from '@toonbank/shared';
import { createFakeApi } from '../test/fakeApi';
import { AGENT, LEAD } from '../test/fixtures';
import { renderApp } from '../test/renderApp';
import { formatDuration } from './duration';
import { defaultWindow } from './ReportsPage';

describe('formatDuration (reports: two units at most, in the UI language)', () => {
  it.each([
    [null, 'nl', '—'],
    [0, 'nl', '0 s'],
    [59.4, 'nl', '59 s'],
    [60, 'nl', '1 min'],
    [3599, 'nl', '1 u'],
    [3569, 'nl', '59 min'],
    [3600, 'nl', '1 u'],
    [4800, 'nl', '1 u 20 min'],
    [86_400, 'nl', '1 d'],
    [97_200, 'nl', '1 d 3 u'],
    [4800, 'en', '1 h 20 min'],
    [97_200, 'en', '1 d 3 h'],
    [1234 * 86_400, 'nl', '1.234 d'],
    [1234 * 86_400, 'en', '1,234 d'],
  ])('%s seconds in %s → %s', (seconds, language, expected) => {
    expect(formatDuration(seconds, language)).toBe(expected);
  });
});

describe('defaultWindow', () => {
  it('is the last seven days, today included', () => {
    expect(defaultWindow(new Date('2026-11-26T10:00:00Z'))).toEqual({
      from: '2026-11-20',
      to: '2026-11-26',
    });
  });
});

const SUMMARY: ReportSummaryDto = {
  from: '2026-11-19T23:00:00.000Z',
  to: '2026-11-26T23:00:00.000Z',
  timeZone: 'Europe/Amsterdam',
  firstResponse: { count: 12, medianSeconds: 540, p90Seconds: 4800 },
  resolution: { count: 9, medianSeconds: 97_200, p90Seconds: null },
  volume: {
    total: 41,
    perChannel: [
      { channelId: 'c1', name: 'Mastodon NL', provider: 'mastodon', count: 30 },
      { channelId: 'c2', name: 'X', provider: 'x', count: 11 },
    ],
    perHour: Array.from({ length: 24 }, (_, hour) => ({ hour, count: hour === 9 ? 20 : 1 })),
    perDay: [{ date: '2026-11-26', count: 41 }],
  },
  agents: [
    {
      userId: AGENT.id,
      name: 'Bram Jansen',
      assigned: 10,
      firstResponses: 8,
      medianFirstResponseSeconds: 300,
      slaMet: 7,
      slaBreached: 1,
      openNow: 3,
    },
  ],
  sla: { met: 9, breached: 3 },
  maturityHistory: [
    { from: 1, to: 2, reason: 'Team getraind', byUserId: LEAD.id, at: '2026-11-24T10:00:00.000Z' },
  ],
};

const openReports = () => {
  const fake = createFakeApi({ users: [LEAD] });
  fake.override('GET /api/reports/summary', () => ({ status: 200, body: SUMMARY }));
  fake.override('GET /api/reports/export.csv', () => ({
    status: 200,
    body: 'section,x\r\n',
    headers: { 'Content-Type': 'text/csv' },
  }));
  fake.rememberSession(LEAD.email);
  return { fake, ...renderApp(fake, { route: '/reports' }) };
};

describe('Reports', () => {
  it('shows the key figures, the agents and the maturity history', async () => {
    const { fake } = openReports();
    const firstResponse = (await screen.findByText('Eerste reactie (mediaan)')).parentElement!;
    expect(within(firstResponse).getByText('9 min')).toBeInTheDocument();
    expect(
      within(firstResponse).getByText('90% binnen 1 u 20 min · 12 gesprekken'),
    ).toBeInTheDocument();
    expect(screen.getByText('75%')).toBeInTheDocument();
    expect(screen.getByText('3 overschrijdingen')).toBeInTheDocument();
    const agent = screen.getByRole('row', { name: /Bram Jansen/ });
    expect(
      within(agent)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['10', '8', '5 min', '7', '1', '3']);
    expect(screen.getByText(/niveau 1 → 2 — Team getraind/)).toBeInTheDocument();
    expect(fake.sent('GET', '/api/reports/summary')[0]!.query).toEqual(defaultWindow());
  });

  it('offers every chart’s figures as a table', async () => {
    openReports();
    const perChannel = await screen.findByRole('figure', { name: 'Berichten per kanaal' });
    expect(
      within(perChannel)
        .getAllByRole('row')
        .map((r) => r.textContent),
    ).toEqual(['KanaalBerichten', 'Mastodon NL30', 'X11']);
  });

  it('reads the report again for another window, and exports it as CSV', async () => {
    const { fake, user } = openReports();
    await screen.findByText('75%');
    // A date input takes a whole date at once (as a browser's date picker gives it).
    fireEvent.change(screen.getByLabelText('Van'), { target: { value: '2026-11-01' } });
    await waitFor(() =>
      expect(fake.sent('GET', '/api/reports/summary').at(-1)!.query.from).toBe('2026-11-01'),
    );
    const blobs: Blob[] = [];
    Object.assign(URL, {
      createObjectURL: (blob: Blob) => (blobs.push(blob), 'blob:report'),
      revokeObjectURL: jest.fn(),
    });
    const downloads: string[] = [];
    jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      downloads.push(`${this.download} ${this.href}`);
    });
    await user.click(screen.getByRole('button', { name: 'Exporteren als CSV' }));
    await waitFor(() => expect(downloads).toHaveLength(1));
    expect(downloads[0]).toBe(`toonbank-report-2026-11-01-${defaultWindow().to}.csv blob:report`);
    expect([blobs[0]!.type, blobs[0]!.size]).toEqual([
      'text/csv;charset=utf-8',
      'section,x\r\n'.length,
    ]);
    expect(fake.sent('GET', '/api/reports/export.csv')[0]!.query.from).toBe('2026-11-01');
  });
});
