import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditLogService, changedFields } from '@toonbank/audit';
import { RoutingTrigger } from '@toonbank/conversations';
import { OrganisationEntity } from '@toonbank/database';
import { ApiError, EventPublisher, inTransaction, type Principal } from '@toonbank/platform';
import { AuditAction, type OrganisationDto } from '@toonbank/shared';
import { DataSource } from 'typeorm';
import type { UpdateOrganisationDto } from './dto/update-organisation.dto';
import { presentOrganisation } from './organisation.presenter';

const settingsOf = (org: OrganisationEntity) => {
  const {
    id: _id,
    slug: _slug,
    maturityLevel: _level,
    maturityName: _name,
    ...settings
  } = presentOrganisation(org);
  return settings;
};

@Injectable()
export class OrgService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLogService,
    private readonly events: EventPublisher,
    private readonly routing: RoutingTrigger,
  ) {}

  get(principal: Principal): OrganisationDto {
    return presentOrganisation(principal.organisation);
  }

  async update(principal: Principal, dto: UpdateOrganisationDto): Promise<OrganisationDto> {
    const result = await inTransaction(this.db, async (manager) => {
      const org = await manager
        .getRepository(OrganisationEntity)
        .createQueryBuilder('o')
        .setLock('for_no_key_update')
        .where('o.id = :id', { id: principal.organisation.id })
        .getOne();
      if (!org) throw ApiError.notFound('The organisation');
      const before = settingsOf(org);
      Object.assign(
        org,
        Object.fromEntries(Object.entries(dto).filter(([, value]) => value !== undefined)),
      );
      const change = changedFields(before, settingsOf(org));
      if (!change) return { org, changed: false };
      await manager.save(org);
      await this.audit.record(manager, {
        organisationId: org.id,
        actorId: principal.user.id,
        action: AuditAction.OrgUpdated,
        subjectType: 'organisation',
        subjectId: org.id,
        ...change,
      });
      return { org, changed: true };
    });
    const view = presentOrganisation(result.org);
    if (result.changed) this.events.toOrganisation(view.id, 'org.updated', view);
    if (result.changed && dto.routingStrategy && dto.routingStrategy !== 'manual') {
      await this.routing.routeQueue(view.id, 'routing strategy changed');
    }
    return view;
  }
}
