import type { OrganisationDto, Role, UserDto } from '@toonbank/shared';

export const makeUser = (overrides: Partial<UserDto> & { role: Role }): UserDto => ({
  id: '00000000-0000-4000-8000-000000000001',
  email: 'someone@demo.test',
  name: 'Someone',
  initials: 'SO',
  active: true,
  trainedAt: null,
  capacity: 10,
  languages: ['nl'],
  available: true,
  eligible: true,
  approvalsEarned: 0,
  approvalLifted: false,
  ...overrides,
});

export const ADMIN = makeUser({
  id: '00000000-0000-4000-8000-0000000000a1',
  email: 'admin@demo.test',
  name: 'Anna de Vries',
  initials: 'AV',
  role: 'admin',
});

export const LEAD = makeUser({
  id: '00000000-0000-4000-8000-0000000000b1',
  email: 'lead@demo.test',
  name: 'Lars Bakker',
  initials: 'LB',
  role: 'team_lead',
});

export const AGENT = makeUser({
  id: '00000000-0000-4000-8000-0000000000c1',
  email: 'agent1@demo.test',
  name: 'Bram Jansen',
  initials: 'BJ',
  role: 'agent',
});

export const EMPLOYEE = makeUser({
  id: '00000000-0000-4000-8000-0000000000d1',
  email: 'employee@demo.test',
  name: 'Eva Smit',
  initials: 'ES',
  role: 'employee',
  eligible: false,
});

export const DEMO_ORG: OrganisationDto = {
  id: '00000000-0000-4000-8000-00000000f001',
  name: 'Demo Energie',
  slug: 'demo',
  maturityLevel: 1,
  maturityName: 'pioneer',
  routingStrategy: 'least_loaded',
  slaFirstResponseMinutes: 60,
  businessHours: null,
  timeZone: 'Europe/Amsterdam',
  handBackMinutes: 30,
  rawRetentionDays: 90,
};

export const PASSWORD = 'demo-password';
