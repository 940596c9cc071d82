import type { OrganisationEntity } from '@toonbank/database';
import { MATURITY_NAMES, type OrganisationDto } from '@toonbank/shared';

export function presentOrganisation(org: OrganisationEntity): OrganisationDto {
  return {
    id: org.id,
    name: org.name,
    slug: org.slug,
    maturityLevel: org.maturityLevel,
    maturityName: MATURITY_NAMES[org.maturityLevel],
    routingStrategy: org.routingStrategy,
    slaFirstResponseMinutes: org.slaFirstResponseMinutes,
    businessHours: org.businessHours,
    timeZone: org.timeZone,
    handBackMinutes: org.handBackMinutes,
    rawRetentionDays: org.rawRetentionDays,
  };
}
