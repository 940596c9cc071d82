import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ToneProfileEntity } from '@toonbank/database';
import type { ToneProfileDto } from '@toonbank/shared';
import { DataSource, type EntityManager } from 'typeorm';
import { presentToneProfile, toneProfileColumns } from './tone-profile.presenter';

/** The version of the defaults, before an admin saves a profile. */
export const DEFAULT_PROFILE_VERSION = 'default';

/** The profile's version in SQL, for a query on another table (`organisationColumn`: its organisation). */
export const profileVersionSql = (organisationColumn: string) =>
  `COALESCE((SELECT tp.updated_at::text FROM tone_profiles tp WHERE tp.organisation_id = ${organisationColumn}), '${DEFAULT_PROFILE_VERSION}')`;

/** One tone profile per organisation; the defaults stand in until an admin saves one. */
@Injectable()
export class ToneProfilesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async find(organisationId: string, manager?: EntityManager): Promise<ToneProfileDto> {
    const row = await (manager ?? this.db.manager).findOneBy(ToneProfileEntity, {
      organisationId,
    });
    return presentToneProfile(row);
  }

  /**
   * The profile with its version (its `updated_at` as PostgreSQL writes it, to the microsecond;
   * `default` while the organisation has none): what answers judged against it are kept by.
   */
  async findVersioned(
    organisationId: string,
    manager?: EntityManager,
  ): Promise<{ profile: ToneProfileDto; version: string }> {
    const { entities, raw } = await (manager ?? this.db.manager)
      .createQueryBuilder(ToneProfileEntity, 'p')
      .addSelect('p.updated_at::text', 'profile_version')
      .where('p.organisation_id = :organisationId', { organisationId })
      .getRawAndEntities<{ profile_version: string }>();
    return {
      profile: presentToneProfile(entities[0] ?? null),
      version: raw[0]?.profile_version ?? DEFAULT_PROFILE_VERSION,
    };
  }

  /** The profile's version alone (findVersioned). */
  async version(organisationId: string, manager?: EntityManager): Promise<string> {
    const rows: { version: string }[] = await (manager ?? this.db.manager).query(
      'SELECT updated_at::text AS version FROM tone_profiles WHERE organisation_id = $1',
      [organisationId],
    );
    return rows[0]?.version ?? DEFAULT_PROFILE_VERSION;
  }

  async save(
    manager: EntityManager,
    organisationId: string,
    profile: ToneProfileDto,
  ): Promise<void> {
    await manager.upsert(ToneProfileEntity, toneProfileColumns(organisationId, profile), [
      'organisationId',
    ]);
  }
}
