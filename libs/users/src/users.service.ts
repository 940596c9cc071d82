import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditLogService, changedFields } from '@toonbank/audit';
import {
  CountsTrigger,
  RoutingTrigger,
  WorkRelease,
  type ReleasedWork,
} from '@toonbank/conversations';
import {
  isEligible,
  leavesNoActiveAdmin,
  readsInbox,
  roleHasPermission,
  type AdminStanding,
} from '@toonbank/policy';
import { UserEntity } from '@toonbank/database';
import {
  ApiError,
  CursorCodec,
  DEFAULT_PAGE_SIZE,
  EventPublisher,
  inTransaction,
  type Principal,
} from '@toonbank/platform';
import {
  ConflictReason,
  AuditAction,
  Permission,
  type DirectoryUserDto,
  type EligibleUserDto,
  type Page,
  type UserDto,
} from '@toonbank/shared';
import { DataSource } from 'typeorm';
import type { CreateUserDto, UpdateUserDto } from './dto/user.dto';
import { initialsOf } from './initials';
import { PasswordHasher } from './password-hasher';
import { SessionsRepository } from './sessions.repository';
import { presentDirectoryUser, presentUser } from './user.presenter';
import { UsersRepository, type UserPosition } from './users.repository';

/** What the audit log keeps of a user (never the password hash). */
const auditView = (user: UserEntity) => ({
  email: user.email,
  name: user.name,
  initials: user.initials,
  role: user.role,
  active: user.active,
  trainedAt: user.trainedAt?.toISOString() ?? null,
  capacity: user.capacity,
  languages: user.languages,
});

@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditLogService,
    private readonly events: EventPublisher,
    private readonly cursors: CursorCodec,
    private readonly workRelease: WorkRelease,
    private readonly routing: RoutingTrigger,
    private readonly counts: CountsTrigger,
  ) {}

  /** Team leads and admins see full records; everyone else the directory form. */
  async list(
    principal: Principal,
    limit = DEFAULT_PAGE_SIZE,
    cursor?: string,
  ): Promise<Page<UserDto | DirectoryUserDto>> {
    const after = cursor
      ? this.cursors.decode<{ name: string; id: string }>(cursor, ['name', 'id'])
      : undefined;
    const rows = await this.users.page(principal.organisation.id, limit + 1, after);
    const items = rows.slice(0, limit);
    const full = roleHasPermission(principal.user.role, Permission.UserRead);
    const last = items[items.length - 1];
    return {
      items: items.map((u) =>
        full ? presentUser(u, principal.organisation) : presentDirectoryUser(u),
      ),
      nextCursor:
        rows.length > limit && last
          ? this.cursors.encode({ name: last.name, id: last.id } satisfies UserPosition)
          : null,
    };
  }

  /** Users who may be assigned a conversation right now (available or not). */
  /** Who may be assigned now, with their load for the team lead's board. */
  async eligible(principal: Principal): Promise<Page<EligibleUserDto>> {
    const now = new Date();
    const organisationId = principal.organisation.id;
    const [users, open] = await Promise.all([
      this.users.activeUsers(organisationId),
      this.users.openConversationCounts(organisationId),
    ]);
    return {
      items: users
        .filter((u) => isEligible(u, principal.organisation, now))
        .map((u) => ({
          ...presentUser(u, principal.organisation, now),
          openConversations: open.get(u.id) ?? 0,
        })),
      nextCursor: null,
    };
  }

  async create(principal: Principal, dto: CreateUserDto): Promise<UserDto> {
    const passwordHash = await this.hasher.hash(dto.password);
    const user = await inTransaction(this.db, async (manager) => {
      if (await this.users.emailTaken(dto.email, manager)) {
        throw ApiError.conflict(
          'A user with this e-mail address already exists.',
          ConflictReason.EmailTaken,
        );
      }
      const created = await manager.save(
        manager.create(UserEntity, {
          organisationId: principal.organisation.id,
          email: dto.email,
          name: dto.name,
          initials: dto.initials ?? (initialsOf(dto.name) || initialsOf(dto.email)),
          role: dto.role,
          active: true,
          trainedAt: dto.trainedAt ? new Date(dto.trainedAt) : null,
          capacity: dto.capacity ?? 10,
          languages: dto.languages ?? [],
          available: true,
          approvalsEarned: 0,
          lastAssignedAt: null,
          passwordHash,
          passwordChangedAt: null,
        }),
      );
      await this.audit.record(manager, {
        organisationId: principal.organisation.id,
        actorId: principal.user.id,
        action: AuditAction.UserCreated,
        subjectType: 'user',
        subjectId: created.id,
        after: auditView(created),
      });
      return created;
    }).catch((error: unknown) => {
      // Two admins creating the same e-mail at once: the unique constraint decides.
      if ((error as { code?: string }).code === '23505') {
        throw ApiError.conflict(
          'A user with this e-mail address already exists.',
          ConflictReason.EmailTaken,
        );
      }
      throw error;
    });
    return presentUser(user, principal.organisation);
  }

  async update(principal: Principal, id: string, dto: UpdateUserDto): Promise<UserDto> {
    const organisation = principal.organisation;
    const outcome = await inTransaction(this.db, async (manager) => {
      // A change of role, training or active flag may end the right to respond: what a release
      // needs is locked first (README, "Lock order"), eligibility judged by the organisation now.
      const current =
        dto.role !== undefined || dto.active !== undefined || dto.trainedAt !== undefined
          ? await this.workRelease.lockForRelease(manager, organisation.id, id)
          : organisation;
      // A change of role or active flag may take away an admin. The active admins are locked
      // first and in one order, so that two admins demoting each other wait instead of deadlocking.
      const activeAdmins =
        dto.role !== undefined || dto.active !== undefined
          ? await this.users.lockActiveAdmins(manager, organisation.id)
          : null;
      const user = await this.users.lockById(manager, organisation.id, id);
      if (!user) throw ApiError.notFound('The user');
      const before = auditView(user);
      const wasEligible = isEligible(user, current);

      if (dto.name !== undefined) user.name = dto.name;
      if (dto.initials !== undefined) user.initials = dto.initials;
      if (dto.role !== undefined) user.role = dto.role;
      if (dto.active !== undefined) user.active = dto.active;
      if (dto.trainedAt !== undefined)
        user.trainedAt = dto.trainedAt === null ? null : new Date(dto.trainedAt);
      if (dto.capacity !== undefined) user.capacity = dto.capacity;
      if (dto.languages !== undefined) user.languages = dto.languages;

      const change = changedFields(before, auditView(user));
      const none: ReleasedWork = { conversationIds: [], replyIds: [] };
      if (!change) return { user, changed: false, deactivated: false, released: none };
      this.keepAnActiveAdmin(before, user, activeAdmins ?? 0);
      await manager.save(user);
      await this.audit.record(manager, {
        organisationId: organisation.id,
        actorId: principal.user.id,
        action: AuditAction.UserUpdated,
        subjectType: 'user',
        subjectId: user.id,
        ...change,
      });

      const deactivated = before.active && !user.active;
      if (deactivated) {
        await this.sessions.revokeAllOfUser(manager, organisation.id, user.id, 'deactivated');
      }
      const released =
        wasEligible && !isEligible(user, current)
          ? await this.workRelease.release(
              manager,
              organisation.id,
              user.id,
              principal.user.id,
              deactivated ? 'user deactivated' : 'user no longer eligible',
            )
          : none;
      return { user, changed: true, deactivated, released };
    });

    const view = presentUser(outcome.user, organisation);
    if (outcome.changed) {
      this.events.toUser(outcome.user.id, 'user.updated', view);
      this.events.setInboxMember(
        organisation.id,
        outcome.user.id,
        readsInbox(outcome.user, organisation),
      );
    }
    if (outcome.deactivated) this.events.disconnectUser(outcome.user.id);
    await this.workRelease.announce(organisation.id, outcome.released);
    // Another role is another Waiting tab, training or the active flag another right to read
    // the inbox: the counts are due for them (the others hear nothing, their numbers are the same).
    const readsOtherwise =
      dto.role !== undefined || dto.active !== undefined || dto.trainedAt !== undefined;
    if (outcome.changed && readsOtherwise) await this.counts.changed(organisation.id);
    // Newly eligible, more capacity, other languages: the queue may now have a taker.
    if (outcome.changed && view.eligible)
      await this.routing.routeQueue(organisation.id, 'user changed');
    return view;
  }

  private keepAnActiveAdmin(before: AdminStanding, after: UserEntity, activeAdmins: number): void {
    if (leavesNoActiveAdmin(before, after, activeAdmins)) {
      throw ApiError.conflict(
        'The organisation must keep at least one active admin.',
        ConflictReason.LastAdmin,
      );
    }
  }
}
