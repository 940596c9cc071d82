import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditLogService } from '@toonbank/audit';
import { RoutingTrigger, WorkRelease } from '@toonbank/conversations';
import { UserEntity } from '@toonbank/database';
import {
  ApiError,
  AttemptThrottle,
  EventPublisher,
  inTransaction,
  type Principal,
} from '@toonbank/platform';
import { AuditAction, ErrorCode, type UserDto } from '@toonbank/shared';
import { DataSource } from 'typeorm';
import { PasswordHasher } from './password-hasher';
import { SessionsRepository } from './sessions.repository';
import { presentUser } from './user.presenter';
import { UsersRepository } from './users.repository';

/** The signed-in user's own profile, password and availability. */
@Injectable()
export class MeService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditLogService,
    private readonly events: EventPublisher,
    private readonly throttle: AttemptThrottle,
    private readonly workRelease: WorkRelease,
    private readonly routing: RoutingTrigger,
  ) {}

  me(principal: Principal): UserDto {
    return presentUser(principal.user, principal.organisation);
  }

  /** Checks the current password, stores the new one and ends the user's other sessions. */
  async changePassword(
    principal: Principal,
    currentPassword: string,
    newPassword: string,
    address: string,
  ): Promise<void> {
    const { user, organisation } = principal;
    // Guessing the current password with a stolen access token is throttled like a login.
    const subject = `password:${user.id}`;
    const attempt = await this.throttle.reserve(subject, address);
    const hash = await this.users.passwordHashOf(organisation.id, user.id);
    if (!(await this.hasher.verify(hash, currentPassword))) {
      throw new ApiError(401, ErrorCode.InvalidCredentials, 'The current password is not right.');
    }
    await this.throttle.succeeded(attempt);
    if (currentPassword === newPassword) {
      throw ApiError.validation('The new password must differ from the current one.', {
        newPassword: ['newPassword must differ from currentPassword'],
      });
    }
    const passwordHash = await this.hasher.hash(newPassword);
    await inTransaction(this.db, async (manager) => {
      await manager.update(
        UserEntity,
        { organisationId: organisation.id, id: user.id },
        {
          passwordHash,
          passwordChangedAt: new Date(),
        },
      );
      await this.sessions.revokeAllOfUser(
        manager,
        organisation.id,
        user.id,
        'password changed',
        principal.sessionId,
      );
      await this.audit.record(manager, {
        organisationId: organisation.id,
        actorId: user.id,
        action: AuditAction.UserPasswordChanged,
        subjectType: 'user',
        subjectId: user.id,
      });
    });
    // Sockets of the ended sessions go; this session's sockets reconnect with their valid token.
    this.events.disconnectUser(user.id);
  }

  /**
   * Going unavailable hands the conversations that wait for one's first move back to routing;
   * becoming available lets routing bring work.
   */
  async setAvailability(principal: Principal, available: boolean): Promise<UserDto> {
    const { user, organisation } = principal;
    if (user.available === available) return presentUser(user, organisation);
    const released = await inTransaction(this.db, async (manager) => {
      // Going unavailable hands work back: what that locks comes first (README, "Lock order").
      if (!available) await this.workRelease.lockForRelease(manager, organisation.id, user.id);
      await manager.update(
        UserEntity,
        { organisationId: organisation.id, id: user.id },
        { available },
      );
      await this.audit.record(manager, {
        organisationId: organisation.id,
        actorId: user.id,
        action: AuditAction.UserAvailabilityChanged,
        subjectType: 'user',
        subjectId: user.id,
        before: { available: user.available },
        after: { available },
      });
      return available
        ? null
        : this.workRelease.handBackAssigned(
            manager,
            organisation.id,
            user.id,
            'assignee unavailable',
          );
    });
    const view = presentUser({ ...user, available }, organisation);
    this.events.toUser(user.id, 'user.updated', view);
    if (released) await this.workRelease.announce(organisation.id, released);
    else await this.routing.routeQueue(organisation.id, 'user available');
    return view;
  }
}
