import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditLogEntity } from '@toonbank/database';
import {
  CursorCodec,
  DEFAULT_PAGE_SIZE,
  newestFirstPage,
  type Principal,
} from '@toonbank/platform';
import type { AuditEntryDto, Page } from '@toonbank/shared';
import { DataSource } from 'typeorm';
import type { AuditQueryDto } from './dto/audit-query.dto';

export const presentAuditEntry = (entry: AuditLogEntity): AuditEntryDto => ({
  id: entry.id,
  at: entry.at.toISOString(),
  actorId: entry.actorId,
  action: entry.action,
  subjectType: entry.subjectType,
  subjectId: entry.subjectId,
  before: entry.before,
  after: entry.after,
  reason: entry.reason,
});

/** Reads the organisation's audit log, newest first, filtered by action, actor or subject. */
@Injectable()
export class AuditLogQuery {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly cursors: CursorCodec,
  ) {}

  list(principal: Principal, filter: AuditQueryDto): Promise<Page<AuditEntryDto>> {
    const query = this.db.manager
      .createQueryBuilder(AuditLogEntity, 'a')
      .where('a.organisation_id = :organisationId', { organisationId: principal.organisation.id });
    if (filter.action) query.andWhere('a.action = :action', { action: filter.action });
    if (filter.actorId) query.andWhere('a.actor_id = :actorId', { actorId: filter.actorId });
    if (filter.subjectId)
      query.andWhere('a.subject_id = :subjectId', { subjectId: filter.subjectId });
    return newestFirstPage(
      query,
      { alias: 'a', timeColumn: 'at' },
      { limit: filter.limit ?? DEFAULT_PAGE_SIZE, cursor: filter.cursor },
      this.cursors,
      presentAuditEntry,
    );
  }
}
