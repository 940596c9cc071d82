import type { Role } from '@toonbank/shared';

/** The seeded demo accounts of API.md §Demo data (shown on the login page in development). */
export interface DemoLogin {
  email: string;
  role: Role;
}

export const DEMO_PASSWORD = 'demo-password';

export const DEMO_LOGINS: readonly DemoLogin[] = [
  { email: 'admin@demo.test', role: 'admin' },
  { email: 'lead@demo.test', role: 'team_lead' },
  { email: 'agent1@demo.test', role: 'agent' },
  { email: 'agent2@demo.test', role: 'agent' },
  { email: 'comms@demo.test', role: 'communications' },
  { email: 'ambassador@demo.test', role: 'employee' },
  { email: 'employee@demo.test', role: 'employee' },
  { email: 'admin@acme.test', role: 'admin' },
];
