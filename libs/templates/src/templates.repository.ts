import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { TemplateEntity } from '@toonbank/database';
import type { ChannelProvider } from '@toonbank/shared';
import { DataSource, IsNull, type EntityManager } from 'typeorm';
import { DEFAULT_PROFILE_VERSION, profileVersionSql } from './tone-profiles.repository';

/** Templates that are not deleted; the organisation id is always required. */
@Injectable()
export class TemplatesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  find(
    organisationId: string,
    id: string,
    manager?: EntityManager,
  ): Promise<TemplateEntity | null> {
    return (manager ?? this.db.manager).findOneBy(TemplateEntity, {
      organisationId,
      id,
      deletedAt: IsNull(),
    });
  }

  lock(manager: EntityManager, organisationId: string, id: string): Promise<TemplateEntity | null> {
    return manager
      .createQueryBuilder(TemplateEntity, 't')
      .setLock('for_no_key_update')
      .where('t.organisation_id = :organisationId AND t.id = :id AND t.deleted_at IS NULL', {
        organisationId,
        id,
      })
      .getOne();
  }

  /**
   * By name, then id; `after` is the last row of the previous page. With the version of the
   * organisation's tone profile, read in the same query (the templates' `toneOk` is kept by it).
   */
  async page(
    organisationId: string,
    limit: number,
    options: { provider?: ChannelProvider; after?: { name: string; id: string } },
  ): Promise<{ rows: TemplateEntity[]; profileVersion: string }> {
    const query = this.db.manager
      .createQueryBuilder(TemplateEntity, 't')
      .addSelect(profileVersionSql(':organisationId'), 'profile_version')
      .where('t.organisation_id = :organisationId AND t.deleted_at IS NULL', { organisationId })
      .orderBy('t.name', 'ASC')
      .addOrderBy('t.id', 'ASC')
      .limit(limit + 1);
    if (options.provider) {
      query.andWhere("(t.providers = '{}' OR :provider = ANY(t.providers))", {
        provider: options.provider,
      });
    }
    if (options.after) {
      query.andWhere('(t.name, t.id) > (:name, CAST(:id AS uuid))', options.after);
    }
    const { entities, raw } = await query.getRawAndEntities<{ profile_version: string }>();
    return { rows: entities, profileVersion: raw[0]?.profile_version ?? DEFAULT_PROFILE_VERSION };
  }
}
