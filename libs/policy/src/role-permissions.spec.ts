import { Permission, ROLES, type Role } from '@toonbank/shared';
import { ROLE_PERMISSIONS, roleHasPermission, routeAccess } from './role-permissions';

// The product rules, written out cell by cell: everyone manages themselves and reads the
// organisation, the policy and the directory; team leads and admins also read full user
// records; only admins change the organisation, its maturity and policy, users, and read
// the audit log. Everyone reads the tone profile and templates, checks a text and
// writes and reads replies (while eligible); team leads and admins manage templates and
// approve replies, and read the reports; only admins change the tone profile and erase a
// customer (the right to erasure).
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
  ['admin', 'report.read', true],
  ['admin', 'conversation.read', true],
  ['admin', 'conversation.claim', true],
  ['admin', 'conversation.act', true],
  ['admin', 'conversation.note', true],
  ['admin', 'conversation.assign', true],
  ['admin', 'channel.read', true],
  ['admin', 'channel.manage', true],
  ['admin', 'tone.read', true],
  ['admin', 'tone.manage', true],
  ['admin', 'tone.check', true],
  ['admin', 'template.read', true],
  ['admin', 'template.manage', true],
  ['admin', 'reply.write', true],
  ['admin', 'reply.read', true],
  ['admin', 'reply.approve', true],
  ['admin', 'reply.retry', true],
  ['admin', 'customer.erase', true],

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
  ['team_lead', 'report.read', true],
  ['team_lead', 'conversation.read', true],
  ['team_lead', 'conversation.claim', true],
  ['team_lead', 'conversation.act', true],
  ['team_lead', 'conversation.note', true],
  ['team_lead', 'conversation.assign', true],
  ['team_lead', 'channel.read', true],
  ['team_lead', 'channel.manage', false],
  ['team_lead', 'tone.read', true],
  ['team_lead', 'tone.manage', false],
  ['team_lead', 'tone.check', true],
  ['team_lead', 'template.read', true],
  ['team_lead', 'template.manage', true],
  ['team_lead', 'reply.write', true],
  ['team_lead', 'reply.read', true],
  ['team_lead', 'reply.approve', true],
  ['team_lead', 'reply.retry', true],
  ['team_lead', 'customer.erase', false],

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
  ['agent', 'report.read', false],
  ['agent', 'conversation.read', true],
  ['agent', 'conversation.claim', true],
  ['agent', 'conversation.act', true],
  ['agent', 'conversation.note', true],
  ['agent', 'conversation.assign', false],
  ['agent', 'channel.read', false],
  ['agent', 'channel.manage', false],
  ['agent', 'tone.read', true],
  ['agent', 'tone.manage', false],
  ['agent', 'tone.check', true],
  ['agent', 'template.read', true],
  ['agent', 'template.manage', false],
  ['agent', 'reply.write', true],
  ['agent', 'reply.read', true],
  ['agent', 'reply.approve', false],
  ['agent', 'reply.retry', false],
  ['agent', 'customer.erase', false],

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
  ['communications', 'report.read', false],
  ['communications', 'conversation.read', true],
  ['communications', 'conversation.claim', true],
  ['communications', 'conversation.act', true],
  ['communications', 'conversation.note', true],
  ['communications', 'conversation.assign', false],
  ['communications', 'channel.read', false],
  ['communications', 'channel.manage', false],
  ['communications', 'tone.read', true],
  ['communications', 'tone.manage', false],
  ['communications', 'tone.check', true],
  ['communications', 'template.read', true],
  ['communications', 'template.manage', false],
  ['communications', 'reply.write', true],
  ['communications', 'reply.read', true],
  ['communications', 'reply.approve', false],
  ['communications', 'reply.retry', false],
  ['communications', 'customer.erase', false],

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
  ['employee', 'report.read', false],
  ['employee', 'conversation.read', true],
  ['employee', 'conversation.claim', true],
  ['employee', 'conversation.act', true],
  ['employee', 'conversation.note', true],
  ['employee', 'conversation.assign', false],
  ['employee', 'channel.read', false],
  ['employee', 'channel.manage', false],
  ['employee', 'tone.read', true],
  ['employee', 'tone.manage', false],
  ['employee', 'tone.check', true],
  ['employee', 'template.read', true],
  ['employee', 'template.manage', false],
  ['employee', 'reply.write', true],
  ['employee', 'reply.read', true],
  ['employee', 'reply.approve', false],
  ['employee', 'reply.retry', false],
  ['employee', 'customer.erase', false],
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
        'report.read',
        'conversation.read',
        'conversation.claim',
        'conversation.act',
        'conversation.note',
        'conversation.assign',
        'channel.read',
        'channel.manage',
        'tone.read',
        'tone.manage',
        'tone.check',
        'template.read',
        'template.manage',
        'reply.write',
        'reply.read',
        'reply.approve',
        'reply.retry',
        'customer.erase',
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

describe('routeAccess: the role, then eligibility for the gated permissions', () => {
  it.each([
    // [role, permission, eligible, access]
    ['agent', 'conversation.read', true, 'allowed'],
    ['agent', 'conversation.read', false, 'not_eligible'],
    ['employee', 'conversation.read', false, 'not_eligible'],
    ['team_lead', 'conversation.read', false, 'allowed'],
    ['admin', 'conversation.read', false, 'allowed'],
    ['agent', 'conversation.act', false, 'not_eligible'],
    ['team_lead', 'conversation.act', false, 'allowed'],
    ['agent', 'conversation.note', true, 'allowed'],
    ['communications', 'conversation.note', false, 'not_eligible'],
    ['admin', 'conversation.note', false, 'allowed'],
    ['agent', 'conversation.claim', true, 'allowed'],
    ['agent', 'conversation.claim', false, 'not_eligible'],
    ['team_lead', 'conversation.claim', false, 'not_eligible'],
    ['admin', 'conversation.claim', false, 'not_eligible'],
    ['agent', 'conversation.assign', true, 'forbidden'],
    ['team_lead', 'conversation.assign', false, 'allowed'],
    ['communications', 'org.manage', true, 'forbidden'],
    ['employee', 'self.manage', false, 'allowed'],
    ['agent', 'reply.write', false, 'not_eligible'],
    ['team_lead', 'reply.write', false, 'not_eligible'],
    ['employee', 'tone.check', false, 'not_eligible'],
    ['team_lead', 'tone.check', false, 'allowed'],
    ['employee', 'tone.read', false, 'allowed'],
    ['employee', 'reply.read', false, 'not_eligible'],
    ['admin', 'reply.read', false, 'allowed'],
    ['agent', 'reply.approve', true, 'forbidden'],
    ['team_lead', 'tone.manage', true, 'forbidden'],
    ['team_lead', 'customer.erase', true, 'forbidden'],
    ['admin', 'customer.erase', false, 'allowed'],
  ] as [Role, Permission, boolean, string][])(
    '%s, %s, eligible=%s → %s',
    (role, permission, eligible, access) => {
      expect(routeAccess(role, permission, eligible)).toBe(access);
    },
  );
});
