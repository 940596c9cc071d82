import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditLogService } from '@toonbank/audit';
import { OrganisationEntity, SessionEntity, UserEntity } from '@toonbank/database';
import {
  ApiError,
  AttemptThrottle,
  EventPublisher,
  type Environment,
  inTransaction,
  type Principal,
} from '@toonbank/platform';
import { AuditAction, ErrorCode, type TokenPair, type UserDto } from '@toonbank/shared';
import { PasswordHasher, presentUser, SessionsRepository, UsersRepository } from '@toonbank/users';
import { DataSource, type EntityManager } from 'typeorm';
import { AccessTokens } from './access-tokens';
import {
  hashRefreshToken,
  newRefreshToken,
  REFRESH_CHAIN_STEPS,
  REFRESH_REUSE_GRACE_MS,
  RefreshTokenSuccessors,
} from './refresh-tokens';

export interface ClientInfo {
  address: string;
  userAgent: string | null;
}

/** A new pair, and when its sign-in (the refresh token family) ends. */
export interface IssuedTokens extends TokenPair {
  familyExpiresAt: Date;
}

export interface SignedIn extends IssuedTokens {
  user: UserDto;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const invalidCredentials = () =>
  new ApiError(401, ErrorCode.InvalidCredentials, 'The e-mail address or password is not right.');
const invalidRefresh = () =>
  ApiError.unauthenticated('The refresh token is not valid. Sign in again.');

/** Sign-in, rotating refresh tokens and sign-out. */
@Injectable()
export class AuthService {
  private readonly sessionDays: number;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly hasher: PasswordHasher,
    private readonly tokens: AccessTokens,
    private readonly throttle: AttemptThrottle,
    private readonly audit: AuditLogService,
    private readonly events: EventPublisher,
    private readonly successors: RefreshTokenSuccessors,
    config: ConfigService<Environment, true>,
  ) {
    this.sessionDays = config.get('REFRESH_TOKEN_TTL_DAYS', { infer: true });
  }

  /**
   * The same 401 for an unknown e-mail, a wrong password and a deactivated user, after
   * the same amount of work (the password is checked against a decoy hash when needed).
   */
  async login(email: string, password: string, client: ClientInfo): Promise<SignedIn> {
    const subject = `login:${email.toLowerCase()}`;
    const attempt = await this.throttle.reserve(subject, client.address);
    const user = await this.users.findForLogin(email);
    const passwordOk = await this.hasher.verify(user?.passwordHash ?? null, password);
    if (!user || !passwordOk || !user.active) throw invalidCredentials();
    await this.throttle.succeeded(attempt);

    const organisation = await this.db.manager.findOneByOrFail(OrganisationEntity, {
      id: user.organisationId,
    });
    const pair = await inTransaction(this.db, async (manager) => {
      const session = await this.sessions.create(manager, {
        organisationId: user.organisationId,
        userId: user.id,
        expiresAt: new Date(Date.now() + this.sessionDays * DAY_MS),
        userAgent: client.userAgent?.slice(0, 500) ?? null,
        ipAddress: client.address,
      });
      await this.audit.record(manager, {
        organisationId: user.organisationId,
        actorId: user.id,
        action: AuditAction.AuthLogin,
        subjectType: 'user',
        subjectId: user.id,
      });
      return this.issue(manager, user, session.id, session.expiresAt);
    });
    return { ...pair, user: presentUser(user, organisation) };
  }

  /**
   * Exchanges a refresh token for a new pair. Each token works once. Presented again within
   * 30 seconds of its rotation (a second tab, on the heels of the first), it answers the
   * successor pair already issued: the same refresh token and the same access token, no new
   * branch. Later, a reuse means it was stolen or replayed, and the whole session (the
   * family) is revoked. The token's row is locked, so presentations at the same instant
   * take turns and the later ones find the rotation done.
   */
  async refresh(refreshToken: string): Promise<IssuedTokens> {
    const outcome = await inTransaction(this.db, async (manager) => {
      const now = new Date();
      const token = await this.sessions.findRefreshToken(manager, hashRefreshToken(refreshToken));
      if (!token) return { kind: 'invalid' as const };
      const session = await this.sessions.findSession(
        manager,
        token.organisationId,
        token.sessionId,
      );
      if (!session || session.revokedAt || session.expiresAt <= now)
        return { kind: 'invalid' as const };
      const rotatedAt = token.usedAt;
      if (rotatedAt && now.getTime() - rotatedAt.getTime() > REFRESH_REUSE_GRACE_MS)
        return this.revokeReused(manager, session);
      if (token.expiresAt <= now) return { kind: 'invalid' as const };
      const user = await this.users.findById(session.organisationId, session.userId, manager);
      if (!user || !user.active) return { kind: 'invalid' as const };

      const successorToken = this.successors.of(refreshToken);
      if (rotatedAt) {
        // The live end of the chain: the successor may itself have been rotated meanwhile
        // (T1 → T2 → T3 within the grace, then a late T1), and answering a spent T2 would set
        // a cookie that the next refresh takes for theft.
        let liveToken = successorToken;
        let issuedAt = rotatedAt;
        for (let step = 0; ; step += 1) {
          const successor = await this.sessions.findRefreshToken(
            manager,
            hashRefreshToken(liveToken),
          );
          // No successor of ours (issued under another key, or before successors were derived).
          if (!successor || successor.sessionId !== session.id)
            return this.revokeReused(manager, session);
          if (!successor.usedAt) break;
          if (step + 1 >= REFRESH_CHAIN_STEPS) return { kind: 'invalid' as const };
          issuedAt = successor.usedAt;
          liveToken = this.successors.of(liveToken);
        }
        return {
          kind: 'ok' as const,
          pair: await this.pairOf(user, session.id, liveToken, issuedAt, session.expiresAt),
        };
      }
      await this.sessions.markUsed(manager, token.id, now);
      await this.sessions.addRefreshToken(manager, {
        organisationId: user.organisationId,
        sessionId: session.id,
        tokenHash: hashRefreshToken(successorToken),
        expiresAt: session.expiresAt,
      });
      return {
        kind: 'ok' as const,
        pair: await this.pairOf(user, session.id, successorToken, now, session.expiresAt),
      };
    });
    if (outcome.kind === 'ok') return outcome.pair;
    if (outcome.kind === 'reused') this.events.disconnectUser(outcome.userId);
    throw invalidRefresh();
  }

  private async revokeReused(manager: EntityManager, session: SessionEntity) {
    await this.sessions.revoke(session.organisationId, session.id, 'refresh token reused', manager);
    await this.audit.record(manager, {
      organisationId: session.organisationId,
      actorId: null,
      action: AuditAction.AuthRefreshReuse,
      subjectType: 'user',
      subjectId: session.userId,
      after: { sessionId: session.id },
    });
    return { kind: 'reused' as const, userId: session.userId };
  }

  /**
   * Ends the caller's session (its refresh token family) and drops the user's sockets. A
   * refresh token the browser still holds in its cookie ends its own session too, when that
   * is another sign-in of the same user (the cookie outlived the session of the access token).
   */
  async logout(principal: Principal, cookieRefreshToken?: string): Promise<void> {
    await inTransaction(this.db, async (manager) => {
      const organisationId = principal.organisation.id;
      await this.sessions.revoke(organisationId, principal.sessionId, 'logout', manager);
      const cookieSession = cookieRefreshToken
        ? await this.sessionOf(manager, cookieRefreshToken)
        : null;
      if (
        cookieSession &&
        cookieSession.organisationId === organisationId &&
        cookieSession.userId === principal.user.id &&
        cookieSession.id !== principal.sessionId
      ) {
        await this.sessions.revoke(organisationId, cookieSession.id, 'logout', manager);
      }
      await this.audit.record(manager, {
        organisationId,
        actorId: principal.user.id,
        action: AuditAction.AuthLogout,
        subjectType: 'user',
        subjectId: principal.user.id,
      });
    });
    this.events.disconnectUser(principal.user.id);
  }

  private async sessionOf(manager: EntityManager, refreshToken: string) {
    const token = await this.sessions.findRefreshToken(manager, hashRefreshToken(refreshToken));
    return token ? this.sessions.findSession(manager, token.organisationId, token.sessionId) : null;
  }

  /** The first pair of a sign-in: a random refresh token. */
  private async issue(
    manager: EntityManager,
    user: UserEntity,
    sessionId: string,
    expiresAt: Date,
  ): Promise<IssuedTokens> {
    const refreshToken = newRefreshToken();
    await this.sessions.addRefreshToken(manager, {
      organisationId: user.organisationId,
      sessionId,
      tokenHash: hashRefreshToken(refreshToken),
      expiresAt,
    });
    return this.pairOf(user, sessionId, refreshToken, new Date(), expiresAt);
  }

  /** The access token is signed at the pair's issue time, so a pair handed out again is the same. */
  private async pairOf(
    user: UserEntity,
    sessionId: string,
    refreshToken: string,
    issuedAt: Date,
    familyExpiresAt: Date,
  ): Promise<IssuedTokens> {
    const accessToken = await this.tokens.sign(
      { sub: user.id, org: user.organisationId, sid: sessionId },
      issuedAt,
    );
    return { accessToken, refreshToken, familyExpiresAt };
  }
}
