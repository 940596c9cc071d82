import { ROLES, type Role } from '@toonbank/shared';
import { isActiveAdmin, leavesNoActiveAdmin, type AdminStanding } from './last-admin';

const admin: AdminStanding = { role: 'admin', active: true };

describe('isActiveAdmin', () => {
  it.each(ROLES.flatMap((role) => [true, false].map((active) => [role, active] as const)))(
    '%s, active=%s',
    (role, active) => {
      expect(isActiveAdmin({ role, active })).toBe(role === 'admin' && active);
    },
  );
});

describe('leavesNoActiveAdmin: an organisation keeps at least one active admin', () => {
  // [before, after, active admins before the change, refused]
  it.each([
    ['the last admin demoted to team lead', admin, { role: 'team_lead', active: true }, 1, true],
    ['the last admin demoted to agent', admin, { role: 'agent', active: true }, 1, true],
    ['the last admin deactivated', admin, { role: 'admin', active: false }, 1, true],
    ['the last admin demoted and deactivated', admin, { role: 'employee', active: false }, 1, true],
    ['an admin demoted while another stays', admin, { role: 'team_lead', active: true }, 2, false],
    ['an admin deactivated while two stay', admin, { role: 'admin', active: false }, 3, false],
    ['the last admin keeps the role (other fields)', admin, admin, 1, false],
    ['a team lead promoted to admin', { role: 'team_lead', active: true }, admin, 1, false],
    ['a deactivated admin reactivated', { role: 'admin', active: false }, admin, 1, false],
    [
      'a deactivated admin demoted',
      { role: 'admin', active: false },
      { role: 'agent', active: false },
      1,
      false,
    ],
    [
      'an agent deactivated',
      { role: 'agent', active: true },
      { role: 'agent', active: false },
      1,
      false,
    ],
  ] as [string, AdminStanding, AdminStanding, number, boolean][])(
    '%s → refused=%s',
    (_label, before, after, activeAdmins, refused) => {
      expect(leavesNoActiveAdmin(before, after, activeAdmins)).toBe(refused);
    },
  );

  it.each(ROLES.filter((role) => role !== 'admin') as Role[])(
    'the last active admin may not become %s',
    (role) => {
      expect(leavesNoActiveAdmin(admin, { role, active: true }, 1)).toBe(true);
      expect(leavesNoActiveAdmin(admin, { role, active: true }, 2)).toBe(false);
    },
  );
});
