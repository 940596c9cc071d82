import type { Role } from '@toonbank/shared';

/** Roles that manage others: they assign, approve, reject and override tone errors. */
export const LEAD_ROLES: readonly Role[] = ['admin', 'team_lead'];

export const isLead = (role: Role): boolean => LEAD_ROLES.includes(role);
