export const ROLES = ['admin', 'team_lead', 'agent', 'communications', 'employee'] as const;
export type Role = (typeof ROLES)[number];

/** Roles that manage others: they assign, approve, reject and override tone errors. */
export const LEAD_ROLES: readonly Role[] = ['admin', 'team_lead'];

export const isRole = (value: unknown): value is Role =>
  typeof value === 'string' && (ROLES as readonly string[]).includes(value);
