import { ROLES, type Role } from '@toonbank/shared';
import { isLead, LEAD_ROLES } from './roles';

describe('the lead roles', () => {
  it.each([
    ['admin', true],
    ['team_lead', true],
    ['agent', false],
    ['communications', false],
    ['employee', false],
  ] as [Role, boolean][])('%s leads: %s', (role, lead) => {
    expect(isLead(role)).toBe(lead);
  });

  it('are known roles', () => {
    for (const role of LEAD_ROLES) expect(ROLES).toContain(role);
  });
});
