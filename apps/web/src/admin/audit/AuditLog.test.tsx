import { screen, waitFor, within } from '@testing-library/react';
import { AuditAction, type AuditEntryDto } from '@toonbank/shared';
import { createFakeApi } from '../../test/fakeApi';
import { ADMIN, LEAD } from '../../test/fixtures';
import { withInbox } from '../../test/inboxFakes';
import { renderApp } from '../../test/renderApp';
import { describeChange } from './AuditLog';

const entry = (n: number, overrides: Partial<AuditEntryDto> = {}): AuditEntryDto => ({
  id: `00000000-0000-4000-8000-0000000a${String(n).padStart(4, '0')}`,
  at: '2026-11-26T09:00:00.000Z',
  actorId: ADMIN.id,
  action: AuditAction.OrgMaturityChanged,
  subjectType: 'organisation',
  subjectId: null,
  before: { level: 1 },
  after: { level: 2 },
  reason: `reden ${n}`,
  ...overrides,
});

describe('describeChange', () => {
  it.each([
    [{ before: { level: 1 }, after: { level: 2 } }, 'level: 1 → 2'],
    [{ before: null, after: { labels: ['a'] } }, 'labels: — → ["a"]'],
    [
      { before: { role: 'agent', active: true }, after: { role: 'admin' } },
      'role: "agent" → "admin"; active: true → —',
    ],
    [{ before: null, after: null }, ''],
  ])('%j → %s', (change, expected) => {
    expect(describeChange(change)).toBe(expected);
  });
});

describe('Audit log', () => {
  it('lists entries with who did what, filters by actor, and pages on', async () => {
    const fake = createFakeApi({ users: [ADMIN] });
    withInbox(fake);
    fake.override('GET /api/audit', (request) => {
      if (request.query.actorId === LEAD.id)
        return { status: 200, body: { items: [entry(9, { actorId: LEAD.id })], nextCursor: null } };
      return request.query.cursor
        ? { status: 200, body: { items: [entry(1, { actorId: null })], nextCursor: null } }
        : { status: 200, body: { items: [entry(2)], nextCursor: 'next' } };
    });
    fake.rememberSession(ADMIN.email);
    const { user } = renderApp(fake, { route: '/admin?section=audit' });

    expect(await screen.findByText('reden 2')).toBeInTheDocument();
    const row = screen.getByText('reden 2').closest('tr')!;
    expect(within(row).getByText('Anna de Vries')).toBeInTheDocument();
    expect(within(row).getByText('level: 1 → 2')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Meer laden' }));
    const system = (await screen.findByText('reden 1')).closest('tr')!;
    expect(within(system).getByText('Systeem')).toBeInTheDocument();

    await user.selectOptions(screen.getByLabelText('Door wie'), LEAD.name);
    await waitFor(() => expect(screen.queryByText('reden 2')).not.toBeInTheDocument());
    expect(screen.getByText('reden 9')).toBeInTheDocument();
    expect(fake.sent('GET', '/api/audit').at(-1)!.query).toEqual({ limit: '50', actorId: LEAD.id });
  });

  it('writes when in the UI language, not in a document lang that has not caught up', async () => {
    const fake = createFakeApi({ users: [ADMIN] });
    withInbox(fake);
    fake.override('GET /api/audit', () => ({
      status: 200,
      body: { items: [entry(3)], nextCursor: null },
    }));
    fake.rememberSession(ADMIN.email);
    window.localStorage.setItem('toonbank.language', 'en');
    renderApp(fake, { route: '/admin?section=audit' });
    document.documentElement.lang = 'nl';

    const row = (await screen.findByText('reden 3')).closest('tr')!;
    expect(within(row).getByText(/^26 Nov 2026, \d\d:\d\d$/)).toBeInTheDocument();
  });
});
