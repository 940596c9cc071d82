import { screen, waitFor } from '@testing-library/react';
import { DEFAULT_POLICY_MATRIX } from '@toonbank/policy';
import { createFakeApi, errorResponse } from '../test/fakeApi';
import { ADMIN } from '../test/fixtures';
import { renderApp } from '../test/renderApp';

const POLICY = {
  level: 1,
  rules: DEFAULT_POLICY_MATRIX['1'],
  matrix: DEFAULT_POLICY_MATRIX,
  trustLadder: { approvalsToLift: 20 },
};

const openPolicy = () => {
  const fake = createFakeApi({ users: [ADMIN] });
  fake.override('GET /api/org/policy', () => ({ status: 200, body: POLICY }));
  fake.rememberSession(ADMIN.email);
  return { fake, ...renderApp(fake, { route: '/admin?section=maturity' }) };
};

describe('Policy matrix', () => {
  it('shows each role per level, and the trust ladder', async () => {
    openPolicy();
    const row = await screen.findByRole('row', { name: /^Communicatieadviseur/ });
    expect([...row.querySelectorAll('td')].map((td) => td.textContent)).toEqual([
      '—',
      'antwoordt · met goedkeuring',
      'antwoordt',
    ]);
    expect(
      screen.getByText('Goedkeuring vervalt na 20 goedgekeurde antwoorden op rij.'),
    ).toBeInTheDocument();
  });

  it('edits a cell and the ladder, and sends the whole matrix', async () => {
    const { fake, user } = openPolicy();
    fake.override('PUT /api/org/policy', (request) => ({
      status: 200,
      body: { ...POLICY, ...(request.body as object) },
    }));
    await user.click(await screen.findByRole('button', { name: 'Matrix bewerken' }));
    const approval = screen.getByLabelText('goedkeuring: Communicatieadviseur op niveau 3');
    await user.click(approval);
    // Without the right to respond, approval and templates cannot be ticked.
    expect(screen.getByLabelText('goedkeuring: Communicatieadviseur op niveau 1')).toBeDisabled();
    const ladder = screen.getByLabelText(/Goedkeuringen op rij/);
    await user.clear(ladder);
    await user.click(screen.getByRole('button', { name: 'Matrix opslaan' }));

    await waitFor(() => expect(fake.sent('PUT', '/api/org/policy')).toHaveLength(1));
    const sent = fake.sent('PUT', '/api/org/policy')[0]!.body as typeof POLICY;
    expect(sent.trustLadder).toEqual({ approvalsToLift: null });
    expect(sent.matrix['3'].find((r) => r.role === 'communications')).toEqual({
      role: 'communications',
      respond: true,
      approval: true,
      template: false,
    });
    expect(sent.matrix['1']).toEqual(DEFAULT_POLICY_MATRIX['1']);
    expect(await screen.findByRole('button', { name: 'Matrix bewerken' })).toBeInTheDocument();
  });

  it('shows the server’s refusal of an unsafe matrix and keeps the edits', async () => {
    const { fake, user } = openPolicy();
    fake.override('PUT /api/org/policy', () =>
      errorResponse(400, 'validation.failed', 'Untrained employees may never respond'),
    );
    await user.click(await screen.findByRole('button', { name: 'Matrix bewerken' }));
    await user.click(screen.getByLabelText('antwoordt: Medewerker, niet getraind op niveau 3'));
    await user.click(screen.getByRole('button', { name: 'Matrix opslaan' }));
    expect(await screen.findByText('Untrained employees may never respond')).toHaveClass(
      'form-error-reason',
    );
    expect(screen.getByLabelText('antwoordt: Medewerker, niet getraind op niveau 3')).toBeChecked();
  });
});
