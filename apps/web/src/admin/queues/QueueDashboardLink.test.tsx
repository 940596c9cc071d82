import { screen, waitFor } from '@testing-library/react';
import { createFakeApi, errorResponse } from '../../test/fakeApi';
import { ADMIN } from '../../test/fixtures';
import { renderApp } from '../../test/renderApp';
import { browserNavigation } from '../../ui/browserNavigation';

const openQueues = () => {
  const fake = createFakeApi({ users: [ADMIN] });
  fake.rememberSession(ADMIN.email);
  return { fake, ...renderApp(fake, { route: '/admin?section=queues' }) };
};

describe('Queue dashboard link', () => {
  let assign: jest.SpiedFunction<typeof browserNavigation.assign>;
  beforeEach(() => {
    assign = jest.spyOn(browserNavigation, 'assign').mockImplementation(() => undefined);
  });
  afterEach(() => assign.mockRestore());

  it('asks the API for a ticket and goes to the dashboard it names', async () => {
    const { fake, user } = openQueues();
    fake.override('POST /api/admin/queue-dashboard/session', () => ({
      status: 200,
      body: { url: '/api/admin/queues/', expiresAt: '2026-11-26T10:10:00.000Z' },
    }));
    await user.click(await screen.findByRole('button', { name: 'Wachtrijdashboard openen' }));
    await waitFor(() => expect(assign).toHaveBeenCalledWith('/api/admin/queues/'));
    expect(fake.sent('POST', '/api/admin/queue-dashboard/session')).toHaveLength(1);
  });

  it('explains a 404: no dashboard for this organisation, and goes nowhere', async () => {
    const { fake, user } = openQueues();
    fake.override('POST /api/admin/queue-dashboard/session', () =>
      errorResponse(404, 'not_found', 'The queue dashboard was not found.'),
    );
    await user.click(await screen.findByRole('button', { name: 'Wachtrijdashboard openen' }));
    expect(
      await screen.findByText(/Deze installatie heeft geen wachtrijdashboard voor je organisatie/),
    ).toHaveAttribute('role', 'status');
    expect(assign).not.toHaveBeenCalled();
  });
});
