import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { UserEntity } from '@toonbank/database';
import { DataSource, type EntityManager } from 'typeorm';

export interface UserPosition {
  name: string;
  id: string;
}

/** Queries on users. Every method but the login lookup is scoped to one organisation. */
@Injectable()
export class UsersRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private users(manager?: EntityManager) {
    return (manager ?? this.db.manager).getRepository(UserEntity);
  }

  findById(
    organisationId: string,
    id: string,
    manager?: EntityManager,
  ): Promise<UserEntity | null> {
    return this.users(manager).findOneBy({ organisationId, id });
  }

  /** Locks the row for the rest of the transaction. */
  lockById(manager: EntityManager, organisationId: string, id: string): Promise<UserEntity | null> {
    return this.users(manager)
      .createQueryBuilder('u')
      .setLock('for_no_key_update')
      .where('u.organisation_id = :organisationId AND u.id = :id', { organisationId, id })
      .getOne();
  }

  /** Login: e-mail is unique across organisations. Includes the password hash. */
  findForLogin(email: string): Promise<UserEntity | null> {
    return this.users()
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.email = :email', { email: email.toLowerCase() })
      .getOne();
  }

  async passwordHashOf(organisationId: string, id: string): Promise<string | null> {
    const user = await this.users()
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.organisation_id = :organisationId AND u.id = :id', { organisationId, id })
      .getOne();
    return user?.passwordHash ?? null;
  }

  async emailTaken(email: string, manager?: EntityManager): Promise<boolean> {
    return this.users(manager).existsBy({ email: email.toLowerCase() });
  }

  /** A page of the organisation's users by name (keyset on name, id). */
  page(organisationId: string, limit: number, after?: UserPosition): Promise<UserEntity[]> {
    const query = this.users()
      .createQueryBuilder('u')
      .where('u.organisation_id = :organisationId', { organisationId })
      .orderBy('u.name', 'ASC')
      .addOrderBy('u.id', 'ASC')
      .limit(limit);
    if (after) query.andWhere('(u.name, u.id) > (:name, :id)', after);
    return query.getMany();
  }

  /** Open conversations (`assigned` and `waiting`, what capacity counts) per assignee. */
  async openConversationCounts(organisationId: string): Promise<Map<string, number>> {
    const rows = (await this.db.query(
      `SELECT assignee_id, count(*)::int AS open FROM conversations
        WHERE organisation_id = $1 AND assignee_id IS NOT NULL AND status IN ('assigned', 'waiting')
        GROUP BY assignee_id`,
      [organisationId],
    )) as { assignee_id: string; open: number }[];
    return new Map(rows.map((row) => [row.assignee_id, row.open]));
  }

  activeUsers(organisationId: string): Promise<UserEntity[]> {
    return this.users().find({
      where: { organisationId, active: true },
      order: { name: 'ASC', id: 'ASC' },
    });
  }

  /** Counts the active admins and locks their rows, so that two admins cannot demote each other at once. */
  async lockActiveAdmins(manager: EntityManager, organisationId: string): Promise<number> {
    const admins = await this.users(manager)
      .createQueryBuilder('u')
      .select('u.id')
      .setLock('for_no_key_update')
      .where("u.organisation_id = :organisationId AND u.role = 'admin' AND u.active", {
        organisationId,
      })
      .orderBy('u.id')
      .getMany();
    return admins.length;
  }
}
