import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ToneProfileEntity } from '@toonbank/database';
import type { ToneProfileDto } from '@toonbank/shared';
import { DataSource, type EntityManager } from 'typeorm';
import { presentToneProfile, toneProfileColumns } from './tone-profile.presenter';

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
