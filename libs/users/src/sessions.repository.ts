import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { RefreshTokenEntity, SessionEntity } from '@toonbank/database';
import { DataSource, IsNull, LessThan, Not, type EntityManager } from 'typeorm';

/** Sessions (one per sign-in) and their rotating refresh tokens. */
@Injectable()
export class SessionsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private manager(manager?: EntityManager): EntityManager {
    return manager ?? this.db.manager;
  }

  async create(
    manager: EntityManager,
    session: Pick<
      SessionEntity,
      'organisationId' | 'userId' | 'expiresAt' | 'userAgent' | 'ipAddress'
    >,
  ): Promise<SessionEntity> {
    return manager.save(
      manager.create(SessionEntity, { ...session, revokedAt: null, revokedReason: null }),
    );
  }

  async addRefreshToken(
    manager: EntityManager,
    token: Pick<RefreshTokenEntity, 'organisationId' | 'sessionId' | 'tokenHash' | 'expiresAt'>,
  ): Promise<void> {
    await manager.insert(RefreshTokenEntity, { ...token, usedAt: null });
  }

  findRefreshToken(manager: EntityManager, tokenHash: string): Promise<RefreshTokenEntity | null> {
    return manager
      .getRepository(RefreshTokenEntity)
      .createQueryBuilder('t')
      .setLock('for_no_key_update')
      .where('t.token_hash = :tokenHash', { tokenHash })
      .getOne();
  }

  async markUsed(manager: EntityManager, tokenId: string, at: Date): Promise<void> {
    await manager.update(RefreshTokenEntity, { id: tokenId }, { usedAt: at });
  }

  findSession(
    manager: EntityManager,
    organisationId: string,
    id: string,
  ): Promise<SessionEntity | null> {
    return manager.findOneBy(SessionEntity, { organisationId, id });
  }

  async revoke(
    organisationId: string,
    sessionId: string,
    reason: string,
    manager?: EntityManager,
  ): Promise<void> {
    await this.manager(manager).update(
      SessionEntity,
      { organisationId, id: sessionId, revokedAt: IsNull() },
      { revokedAt: new Date(), revokedReason: reason },
    );
  }

  /** Ends every session of a user (deactivation), or every other one (password change). */
  async revokeAllOfUser(
    manager: EntityManager,
    organisationId: string,
    userId: string,
    reason: string,
    exceptSessionId?: string,
  ): Promise<void> {
    await manager.update(
      SessionEntity,
      {
        organisationId,
        userId,
        revokedAt: IsNull(),
        ...(exceptSessionId ? { id: Not(exceptSessionId) } : {}),
      },
      { revokedAt: new Date(), revokedReason: reason },
    );
  }

  /** Drops what can never be used again; returns the number of sessions removed. */
  async prune(now: Date): Promise<number> {
    await this.db.manager.delete(RefreshTokenEntity, { expiresAt: LessThan(now) });
    const result = await this.db.manager.delete(SessionEntity, { expiresAt: LessThan(now) });
    return result.affected ?? 0;
  }
}
