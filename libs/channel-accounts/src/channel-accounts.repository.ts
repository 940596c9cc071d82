import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ChannelAccountEntity } from '@toonbank/database';
import { DataSource, IsNull, type EntityManager } from 'typeorm';

/** Channel accounts; the organisation id is always required, except for webhook routing by the channel's own id. */
@Injectable()
export class ChannelAccountsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private repo(manager?: EntityManager) {
    return (manager ?? this.db.manager).getRepository(ChannelAccountEntity);
  }

  find(
    organisationId: string,
    id: string,
    manager?: EntityManager,
  ): Promise<ChannelAccountEntity | null> {
    return this.repo(manager).findOneBy({ organisationId, id, deletedAt: IsNull() });
  }

  /** With its sealed credentials, which no other query selects. */
  withCredentials(
    organisationId: string,
    id: string,
    manager?: EntityManager,
  ): Promise<ChannelAccountEntity | null> {
    return this.repo(manager)
      .createQueryBuilder('a')
      .addSelect('a.credentialsEncrypted')
      .where('a.organisation_id = :organisationId AND a.id = :id AND a.deleted_at IS NULL', {
        organisationId,
        id,
      })
      .getOne();
  }

  list(
    organisationId: string,
    limit: number,
    after?: { createdAt: string; id: string },
  ): Promise<ChannelAccountEntity[]> {
    const query = this.repo()
      .createQueryBuilder('a')
      .where('a.organisation_id = :organisationId AND a.deleted_at IS NULL', { organisationId })
      .orderBy('a.created_at', 'ASC')
      .addOrderBy('a.id', 'ASC')
      .limit(limit);
    if (after)
      query.andWhere(
        '(a.created_at, a.id) > (CAST(:createdAt AS timestamptz), CAST(:id AS uuid))',
        after,
      );
    return query.getMany();
  }

  /** The Meta webhook routes an entry by the page's or Instagram account's id. */
  byExternalAccount(
    provider: string,
    externalAccountId: string,
  ): Promise<ChannelAccountEntity | null> {
    return this.repo().findOneBy({
      provider: provider as ChannelAccountEntity['provider'],
      externalAccountId,
      deletedAt: IsNull(),
    });
  }

  /**
   * The live account connected to this channel identity, in any organisation (the identity is
   * unique across organisations): only for deciding how to refuse a second connection.
   */
  async connectedIdentity(
    provider: string,
    externalAccountId: string,
  ): Promise<{ id: string; organisationId: string } | null> {
    const found = await this.byExternalAccount(provider, externalAccountId);
    return found ? { id: found.id, organisationId: found.organisationId } : null;
  }

  /** Every polled account that should be polled (for the worker to keep its schedules right). */
  activePolled(providers: string[]): Promise<ChannelAccountEntity[]> {
    return this.repo()
      .createQueryBuilder('a')
      .where("a.deleted_at IS NULL AND a.status <> 'paused' AND a.provider IN (:...providers)", {
        providers,
      })
      .getMany();
  }

  /** Whether this account (any organisation's) is still one to poll: what activePolled lists. */
  async isActivePolled(id: string, providers: string[]): Promise<boolean> {
    if (providers.length === 0) return false;
    return this.repo()
      .createQueryBuilder('a')
      .where(
        "a.id = :id AND a.deleted_at IS NULL AND a.status <> 'paused' AND a.provider IN (:...providers)",
        { id, providers },
      )
      .getExists();
  }

  /**
   * Stores renewed secrets unless the credentials changed since they were read (an admin
   * reconnected the channel meanwhile: theirs win).
   */
  async saveCredentials(
    organisationId: string,
    id: string,
    sealed: string,
    readAs: string | null,
    manager?: EntityManager,
  ): Promise<void> {
    await this.repo(manager)
      .createQueryBuilder()
      .update(ChannelAccountEntity)
      .set({ credentialsEncrypted: sealed })
      .where('organisation_id = :organisationId AND id = :id', { organisationId, id })
      .andWhere(
        readAs === null ? 'credentials_encrypted IS NULL' : 'credentials_encrypted = :readAs',
        { readAs },
      )
      .execute();
  }

  async markHealthy(organisationId: string, id: string, at: Date): Promise<void> {
    await this.repo().update(
      { organisationId, id },
      {
        lastPolledAt: at,
        lastError: null,
        lastErrorAt: null,
        throttledUntil: null,
        status: () => "CASE WHEN status = 'paused' THEN 'paused' ELSE 'active' END",
      },
    );
  }

  async markFailing(
    organisationId: string,
    id: string,
    error: string,
    at: Date,
    throttledUntil: Date | null,
  ): Promise<void> {
    await this.repo().update(
      { organisationId, id },
      {
        lastError: error.slice(0, 500),
        lastErrorAt: at,
        throttledUntil,
        status: () => "CASE WHEN status = 'paused' THEN 'paused' ELSE 'degraded' END",
      },
    );
  }
}
