import { OrganisationEntity, UserEntity } from '@toonbank/database';
import { DEFAULT_POLICY_MATRIX, type PolicyMatrix } from '@toonbank/policy';
import type { MaturityLevel, Role } from '@toonbank/shared';
import { isEligible, matrixOf } from '@toonbank/policy';
import { presentDirectoryUser, presentUser } from './user.presenter';

const NOW = new Date('2026-06-15T12:00:00.000Z');
const DAY_MS = 24 * 60 * 60 * 1000;
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY_MS);
const PASSWORD_HASH = '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$c2VjcmV0aGFzaA';

const userOf = (overrides: Partial<UserEntity> = {}): UserEntity =>
  Object.assign(new UserEntity(), {
    id: '6f1c2b9e-4c1a-4e8e-9a43-1f2d3c4b5a69',
    organisationId: '0b7e1a52-2f4d-4c67-9d0a-6a1b2c3d4e5f',
    email: 'anna@example.org',
    name: 'Anna de Vries',
    initials: 'AV',
    role: 'agent' as Role,
    active: true,
    trainedAt: null,
    capacity: 10,
    languages: ['nl', 'en'],
    available: true,
    approvalsEarned: 0,
    lastAssignedAt: new Date('2026-06-14T09:00:00.000Z'),
    passwordHash: PASSWORD_HASH,
    passwordChangedAt: new Date('2026-01-01T00:00:00.000Z'),
    createdAt: new Date('2025-01-01T00:00:00.000Z'),
    updatedAt: new Date('2026-06-01T00:00:00.000Z'),
    ...overrides,
  });

const orgOf = (overrides: Partial<OrganisationEntity> = {}): OrganisationEntity =>
  Object.assign(new OrganisationEntity(), {
    id: '0b7e1a52-2f4d-4c67-9d0a-6a1b2c3d4e5f',
    name: 'Gemeente Voorbeeld',
    slug: 'voorbeeld',
    maturityLevel: 1 as MaturityLevel,
    routingStrategy: 'least_loaded',
    slaFirstResponseMinutes: 60,
    businessHours: null,
    timeZone: 'Europe/Amsterdam',
    handBackMinutes: 15,
    rawRetentionDays: 90,
    policyMatrix: null,
    approvalsToLift: 20,
    ...overrides,
  });

type Kind = Role | 'employee_trained' | 'employee_untrained';
const userOfKind = (kind: Kind, overrides: Partial<UserEntity> = {}) =>
  kind === 'employee_trained'
    ? userOf({ role: 'employee', trainedAt: daysAgo(30), ...overrides })
    : kind === 'employee_untrained'
      ? userOf({ role: 'employee', trainedAt: null, ...overrides })
      : userOf({ role: kind, ...overrides });

// SPEC.md §2, the default matrix: who may respond at which maturity level.
const DEFAULT_ELIGIBILITY: [Kind, MaturityLevel, boolean][] = [
  ['admin', 1, true],
  ['admin', 2, true],
  ['admin', 3, true],
  ['team_lead', 1, true],
  ['team_lead', 2, true],
  ['team_lead', 3, true],
  ['agent', 1, true],
  ['agent', 2, true],
  ['agent', 3, true],
  ['communications', 1, false],
  ['communications', 2, true],
  ['communications', 3, true],
  ['employee_trained', 1, false],
  ['employee_trained', 2, false],
  ['employee_trained', 3, true],
  ['employee_untrained', 1, false],
  ['employee_untrained', 2, false],
  ['employee_untrained', 3, false],
];

/** The default matrix with one cell changed. */
function matrixWith(level: MaturityLevel, role: Role, respond: boolean, trained?: boolean) {
  const matrix: PolicyMatrix = structuredClone(DEFAULT_POLICY_MATRIX);
  const row = matrix[`${level}`].find((r) => r.role === role && r.trained === trained);
  if (!row) throw new Error(`no row ${role} ${String(trained)} at ${level}`);
  row.respond = respond;
  return matrix;
}

describe('isEligible and presentUser().eligible', () => {
  it.each(DEFAULT_ELIGIBILITY)(
    '%s at level %i on the default matrix → %s',
    (kind, level, eligible) => {
      const user = userOfKind(kind);
      const org = orgOf({ maturityLevel: level });
      expect(isEligible(user, org, NOW)).toBe(eligible);
      expect(presentUser(user, org, NOW).eligible).toBe(eligible);
    },
  );

  it.each(DEFAULT_ELIGIBILITY)('%s at level %i is not eligible when deactivated', (kind, level) => {
    const user = userOfKind(kind, { active: false });
    const org = orgOf({ maturityLevel: level });
    expect(isEligible(user, org, NOW)).toBe(false);
    expect(presentUser(user, org, NOW).eligible).toBe(false);
  });

  it.each<[string, number, boolean]>([
    ['trained yesterday', 1, true],
    ['trained 364 days ago', 364, true],
    ['trained 365 days ago', 365, true],
    ['trained 366 days ago', 366, false],
    ['trained tomorrow', -1, false],
  ])('an employee at level 3 %s → %s', (_label, days, eligible) => {
    const user = userOf({ role: 'employee', trainedAt: daysAgo(days) });
    expect(isEligible(user, orgOf({ maturityLevel: 3 }), NOW)).toBe(eligible);
  });

  it('a null policyMatrix means the default matrix', () => {
    expect(matrixOf(orgOf({ policyMatrix: null }))).toBe(DEFAULT_POLICY_MATRIX);
  });

  it.each<[string, PolicyMatrix, Kind, MaturityLevel, boolean]>([
    [
      'communications may respond at level 1',
      matrixWith(1, 'communications', true),
      'communications',
      1,
      true,
    ],
    ['agents may not respond at level 2', matrixWith(2, 'agent', false), 'agent', 2, false],
    ['agents may not respond at level 1', matrixWith(1, 'agent', false), 'agent', 1, false],
    [
      'team leads may not respond at level 3',
      matrixWith(3, 'team_lead', false),
      'team_lead',
      3,
      false,
    ],
    [
      'trained employees may respond at level 2',
      matrixWith(2, 'employee', true, true),
      'employee_trained',
      2,
      true,
    ],
    [
      'trained employees may not respond at level 3',
      matrixWith(3, 'employee', false, true),
      'employee_trained',
      3,
      false,
    ],
  ])("an organisation's own matrix is honoured: %s", (_label, matrix, kind, level, eligible) => {
    const user = userOfKind(kind);
    const org = orgOf({ maturityLevel: level, policyMatrix: matrix });
    expect(matrixOf(org)).toBe(matrix);
    expect(isEligible(user, org, NOW)).toBe(eligible);
    expect(presentUser(user, org, NOW).eligible).toBe(eligible);
    // The same user under the default matrix decides the other way.
    expect(isEligible(user, orgOf({ maturityLevel: level }), NOW)).toBe(!eligible);
  });

  it('changing one cell of the matrix changes no other cell', () => {
    const policyMatrix = matrixWith(1, 'communications', true);
    for (const [kind, level, eligible] of DEFAULT_ELIGIBILITY) {
      if (kind === 'communications' && level === 1) continue;
      const org = orgOf({ maturityLevel: level, policyMatrix });
      expect(isEligible(userOfKind(kind), org, NOW)).toBe(eligible);
    }
  });
});

describe('presentUser().approvalLifted', () => {
  it.each<[number | null, number, boolean]>([
    [null, 0, false],
    [null, 20, false],
    [null, 1000, false],
    [20, 0, false],
    [20, 19, false],
    [20, 20, true],
    [20, 21, true],
    [1, 0, false],
    [1, 1, true],
    [5, 4, false],
    [5, 5, true],
  ])('approvalsToLift=%p, approvalsEarned=%p → %s', (approvalsToLift, approvalsEarned, lifted) => {
    const view = presentUser(userOf({ approvalsEarned }), orgOf({ approvalsToLift }), NOW);
    expect(view.approvalLifted).toBe(lifted);
    expect(view.approvalsEarned).toBe(approvalsEarned);
  });
});

describe('presentUser(): the User of API.md', () => {
  it.each<[string, Date | null, string | null]>([
    ['no training', null, null],
    ['a UTC date', new Date('2026-05-16T08:30:00.000Z'), '2026-05-16T08:30:00.000Z'],
    [
      'a date given with an offset',
      new Date('2026-05-16T10:30:00+02:00'),
      '2026-05-16T08:30:00.000Z',
    ],
    [
      'a date with milliseconds',
      new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678)),
      '2026-01-02T03:04:05.678Z',
    ],
  ])('trainedAt with %s → %p', (_label, trainedAt, expected) => {
    expect(presentUser(userOf({ trainedAt }), orgOf(), NOW).trainedAt).toBe(expected);
  });

  it('presents every field of the contract', () => {
    const user = userOf({
      role: 'communications',
      trainedAt: new Date('2026-05-16T08:30:00.000Z'),
      capacity: 7,
      languages: ['en'],
      available: false,
      approvalsEarned: 3,
    });
    expect(presentUser(user, orgOf({ maturityLevel: 2, approvalsToLift: 3 }), NOW)).toEqual({
      id: '6f1c2b9e-4c1a-4e8e-9a43-1f2d3c4b5a69',
      email: 'anna@example.org',
      name: 'Anna de Vries',
      initials: 'AV',
      role: 'communications',
      active: true,
      trainedAt: '2026-05-16T08:30:00.000Z',
      capacity: 7,
      languages: ['en'],
      available: false,
      eligible: true,
      approvalsEarned: 3,
      approvalLifted: true,
    });
  });

  const USER_DTO_KEYS = [
    'id',
    'email',
    'name',
    'initials',
    'role',
    'active',
    'trainedAt',
    'capacity',
    'languages',
    'available',
    'eligible',
    'approvalsEarned',
    'approvalLifted',
  ];

  it.each(DEFAULT_ELIGIBILITY)(
    'a %s at level %i: only the contract fields, never the password hash',
    (kind, level) => {
      const view = presentUser(userOfKind(kind), orgOf({ maturityLevel: level }), NOW);
      expect(Object.keys(view).sort()).toEqual([...USER_DTO_KEYS].sort());
      expect(view).not.toHaveProperty('passwordHash');
      expect(JSON.stringify(view)).not.toContain(PASSWORD_HASH);
      expect(JSON.stringify(view)).not.toContain('argon2');
    },
  );

  it('the directory form holds only id, name, initials, role and availability', () => {
    const view = presentDirectoryUser(userOf({ role: 'team_lead', available: false }));
    expect(view).toEqual({
      id: '6f1c2b9e-4c1a-4e8e-9a43-1f2d3c4b5a69',
      name: 'Anna de Vries',
      initials: 'AV',
      role: 'team_lead',
      available: false,
    });
    expect(JSON.stringify(view)).not.toContain(PASSWORD_HASH);
  });
});
