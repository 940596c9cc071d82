import type { Role } from '@toonbank/shared';
import { capabilitiesOf } from './capabilities';
import { DEFAULT_POLICY_MATRIX } from './matrix';
import { mayOverrideTone } from './tone-override';

const NOW = new Date('2026-06-15T12:00:00Z');

// [role, may send over the tone check's errors]
const CELLS: [Role, boolean][] = [
  ['admin', true],
  ['team_lead', true],
  ['agent', false],
  ['communications', false],
  ['employee', false],
];

describe('mayOverrideTone: team leads and admins only', () => {
  it.each(CELLS)('%s → %s', (role, allowed) => {
    expect(mayOverrideTone({ role })).toBe(allowed);
  });

  it.each(CELLS)('%s: the capabilities agree while active, and deny when not', (role, allowed) => {
    const subject = { role, active: true, trainedAt: NOW };
    expect(capabilitiesOf(DEFAULT_POLICY_MATRIX, 3, subject, NOW).override).toBe(allowed);
    expect(
      capabilitiesOf(DEFAULT_POLICY_MATRIX, 3, { ...subject, active: false }, NOW).override,
    ).toBe(false);
  });
});
