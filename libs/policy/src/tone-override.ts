import type { Role } from '@toonbank/shared';
import { isLead } from './roles';

/** Only a team lead or an admin sends a reply over the tone check's errors (with a reason). */
export const mayOverrideTone = (user: { role: Role }): boolean => isLead(user.role);
