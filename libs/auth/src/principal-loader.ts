import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { OrganisationEntity, SessionEntity, UserEntity } from '@toonbank/database';
import type { Principal } from '@toonbank/platform';
import { isUUID } from 'class-validator';
import { DataSource } from 'typeorm';
import type { AccessClaims } from './access-tokens';

type UserWithOrganisation = UserEntity & { organisation: OrganisationEntity };

/**
 * Reads the caller afresh on every request (role, active flag, the organisation's level):
 * one query for the user, their organisation and a live session. A revoked session, a
 * deactivated user or a vanished one is no principal.
 */
@Injectable()
export class PrincipalLoader {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async load(claims: AccessClaims): Promise<Principal | null> {
    if (![claims.sub, claims.org, claims.sid].every((id) => isUUID(id))) return null;
    const user = (await this.db
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .innerJoinAndMapOne('u.organisation', OrganisationEntity, 'o', 'o.id = u.organisation_id')
      .innerJoin(
        SessionEntity,
        's',
        's.organisation_id = u.organisation_id AND s.user_id = u.id AND s.id = :sid AND s.revoked_at IS NULL AND s.expires_at > now()',
        { sid: claims.sid },
      )
      .where('u.id = :id AND u.organisation_id = :org AND u.active', {
        id: claims.sub,
        org: claims.org,
      })
      .getOne()) as UserWithOrganisation | null;
    if (!user) return null;
    const { organisation, ...rest } = user;
    return { user: Object.assign(new UserEntity(), rest), organisation, sessionId: claims.sid };
  }
}
