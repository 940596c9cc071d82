import { Permission, ROLE_PERMISSIONS, roleHasPermission } from './permissions';
import { ROLES, type Role } from './roles';

// The product rules, written out cell by cell: everyone manages themselves and reads the
// organisation, the policy and the directory; team leads and admins also read full user
// records; only admins change the organisation, its maturity and policy, users, and read
// the audit log.
const TABLE: [Role, Permission, boolean][] = [
  ['admin', 'self.manage', true],
  ['admin', 'org.read', true],
  ['admin', 'org.manage', true],
  ['admin', 'org.maturity.change', true],
  ['admin', 'policy.read', true],
  ['admin', 'policy.manage', true],
  ['admin', 'user.directory', true],
  ['admin', 'user.read', true],
  ['admin', 'user.manage', true],
  ['admin', 'audit.read', true],

  ['team_lead', 'self.manage', true],
  ['team_lead', 'org.read', true],
  ['team_lead', 'org.manage', false],
  ['team_lead', 'org.maturity.change', false],
  ['team_lead', 'policy.read', true],
  ['team_lead', 'policy.manage', false],
  ['team_lead', 'user.directory', true],
  ['team_lead', 'user.read', true],
  ['team_lead', 'user.manage', false],
  ['team_lead', 'audit.read', false],

  ['agent', 'self.manage', true],
  ['agent', 'org.read', true],
  ['agent', 'org.manage', false],
  ['agent', 'org.maturity.change', false],
  ['agent', 'policy.read', true],
  ['agent', 'policy.manage', false],
  ['agent', 'user.directory', true],
  ['agent', 'user.read', false],
  ['agent', 'user.manage', false],
  ['agent', 'audit.read', false],

  ['communications', 'self.manage', true],
  ['communications', 'org.read', true],
  ['communications', 'org.manage', false],
  ['communications', 'org.maturity.change', false],
  ['communications', 'policy.read', true],
  ['communications', 'policy.manage', false],
  ['communications', 'user.directory', true],
  ['communications', 'user.read', false],
  ['communications', 'user.manage', false],
  ['communications', 'audit.read', false],

  ['employee', 'self.manage', true],
  ['employee', 'org.read', true],
  ['employee', 'org.manage', false],
  ['employee', 'org.maturity.change', false],
  ['employee', 'policy.read', true],
  ['employee', 'policy.manage', false],
  ['employee', 'user.directory', true],
  ['employee', 'user.read', false],
  ['employee', 'user.manage', false],
  ['employee', 'audit.read', false],
];

describe('role → permission table', () => {
  it.each(TABLE)('%s has %s: %s', (role, permission, allowed) => {
    expect(roleHasPermission(role, permission)).toBe(allowed);
    expect(ROLE_PERMISSIONS[role].includes(permission)).toBe(allowed);
  });

  it('has a row for every role × every Permission value, and no other', () => {
    const expected = ROLES.flatMap((role) =>
      Object.values(Permission).map((permission) => `${role} ${permission}`),
    ).sort();
    expect(TABLE.map(([role, permission]) => `${role} ${permission}`).sort()).toEqual(expected);
  });

  it('knows exactly these permissions', () => {
    expect(Object.values(Permission).sort()).toEqual(
      [
        'self.manage',
        'org.read',
        'org.manage',
        'org.maturity.change',
        'policy.read',
        'policy.manage',
        'user.directory',
        'user.read',
        'user.manage',
        'audit.read',
      ].sort(),
    );
  });

  it.each(ROLES)('%s is in ROLE_PERMISSIONS, each permission once, all known', (role) => {
    const granted = ROLE_PERMISSIONS[role];
    expect(granted).toBeDefined();
    expect(new Set(granted).size).toBe(granted.length);
    for (const permission of granted) expect(Object.values(Permission)).toContain(permission);
  });

  it('ROLE_PERMISSIONS has no role besides ROLES', () => {
    expect(Object.keys(ROLE_PERMISSIONS).sort()).toEqual([...ROLES].sort());
  });
});
