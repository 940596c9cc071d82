import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditLogService, changedFields } from '@toonbank/audit';
import {
  ChannelError,
  InvalidPayload,
  Transient,
  type ChannelConnector,
  type ConnectorRegistry,
  type SafeHttp,
  type VerifiedAccount,
} from '@toonbank/channels';
import { ChannelAccountEntity } from '@toonbank/database';
import {
  ApiError,
  CredentialVault,
  CursorCodec,
  DEFAULT_PAGE_SIZE,
  inTransaction,
  type Environment,
  type Principal,
} from '@toonbank/platform';
import { AuditAction, ErrorCode, type ChannelDto, type Page } from '@toonbank/shared';
import { DataSource } from 'typeorm';
import { ChannelAccountsRepository } from './channel-accounts.repository';
import { presentChannel } from './channel.presenter';
import type { CreateChannelDto, UpdateChannelDto } from './dto/channel.dto';
import { PollingSchedule } from './polling-schedule';
import { CONNECTOR_REGISTRY, SAFE_HTTP } from './tokens';

/**
 * The one answer to credentials the channel refused, and to an account already connected in
 * another organisation: told apart, they would say where an account is connected. The
 * channel's own reason goes to the log.
 */
const credentialsRefused = () =>
  new ApiError(422, ErrorCode.ChannelCredentialsInvalid, 'The channel refused the credentials.');
const ALREADY_CONNECTED = 'This account is already connected as a channel.';

/** What the audit log keeps of a channel account: never its secrets. */
const auditView = (a: ChannelAccountEntity) => ({
  provider: a.provider,
  name: a.name,
  handle: a.handle,
  status: a.status,
  pollIntervalSeconds: a.pollIntervalSeconds,
  config: a.config,
});

/** Channel accounts (API.md §Channels): connect after the channel accepted the credentials, change, pause, remove (poll now: ChannelPollNow). */
@Injectable()
export class ChannelsService {
  private readonly logger = new Logger(ChannelsService.name);
  private readonly allowInsecureUrls: boolean;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly accounts: ChannelAccountsRepository,
    private readonly vault: CredentialVault,
    private readonly schedule: PollingSchedule,
    private readonly audit: AuditLogService,
    private readonly cursors: CursorCodec,
    @Inject(CONNECTOR_REGISTRY) private readonly connectors: ConnectorRegistry,
    @Inject(SAFE_HTTP) private readonly http: SafeHttp,
    config: ConfigService<Environment, true>,
  ) {
    this.allowInsecureUrls = config.get('CHANNEL_ALLOW_INSECURE_URLS', { infer: true });
  }

  async list(
    principal: Principal,
    limit = DEFAULT_PAGE_SIZE,
    cursor?: string,
  ): Promise<Page<ChannelDto>> {
    const after = cursor
      ? this.cursors.decode<{ createdAt: string; id: string }>(cursor, ['createdAt', 'id'])
      : undefined;
    const rows = await this.accounts.list(principal.organisation.id, limit + 1, after);
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map((a) => this.present(a)),
      nextCursor:
        rows.length > limit && last
          ? this.cursors.encode({ createdAt: last.createdAt.toISOString(), id: last.id })
          : null,
    };
  }

  async create(principal: Principal, dto: CreateChannelDto): Promise<ChannelDto> {
    const connector = this.connectors.get(dto.provider);
    const parsed = this.parse(connector, dto.config);
    const verified = await this.verify(principal, dto.provider, connector, parsed);
    const externalAccountId = verified.externalAccountId ?? parsed.externalAccountId;
    await this.refuseIfConnected(principal, dto.provider, externalAccountId);
    // The id is made here, not by the database: the sealed secrets are bound to it.
    const id = randomUUID();
    const account = await inTransaction(this.db, async (manager) => {
      const created = await manager.save(
        manager.create(ChannelAccountEntity, {
          id,
          organisationId: principal.organisation.id,
          provider: dto.provider,
          name: dto.name,
          handle: verified.handle,
          status: 'active',
          config: parsed.config,
          credentialsEncrypted: this.vault.seal(verified.secrets ?? parsed.secrets, id),
          externalAccountId,
          cursor: null,
          pollIntervalSeconds: dto.pollIntervalSeconds ?? 60,
        }),
      );
      await this.audit.record(manager, {
        organisationId: principal.organisation.id,
        actorId: principal.user.id,
        action: AuditAction.ChannelCreated,
        subjectType: 'channel',
        subjectId: created.id,
        after: auditView(created),
      });
      return created;
    }).catch((error: unknown) => this.duplicate(error, principal, dto.provider, externalAccountId));
    if (connector.fetch) await this.schedule.apply(account);
    return this.present(account);
  }

  async update(principal: Principal, id: string, dto: UpdateChannelDto): Promise<ChannelDto> {
    const existing = await this.accounts.find(principal.organisation.id, id);
    if (!existing) throw ApiError.notFound('The channel');
    const connector = this.connectors.get(existing.provider);
    let reconnect: { p: ReturnType<ChannelConnector['parseConfig']>; v: VerifiedAccount } | null =
      null;
    if (dto.config) {
      const p = this.parse(connector, dto.config);
      const v = await this.verify(principal, existing.provider, connector, p);
      await this.refuseIfConnected(
        principal,
        existing.provider,
        v.externalAccountId ?? p.externalAccountId,
        existing.id,
      );
      reconnect = { p, v };
    }
    const account = await inTransaction(this.db, async (manager) => {
      const locked = await manager
        .createQueryBuilder(ChannelAccountEntity, 'a')
        .setLock('for_no_key_update')
        .where('a.organisation_id = :org AND a.id = :id AND a.deleted_at IS NULL', {
          org: principal.organisation.id,
          id,
        })
        .getOne();
      if (!locked) throw ApiError.notFound('The channel');
      const before = auditView(locked);
      if (dto.name !== undefined) locked.name = dto.name;
      if (dto.pollIntervalSeconds !== undefined)
        locked.pollIntervalSeconds = dto.pollIntervalSeconds;
      if (dto.status !== undefined) locked.status = dto.status;
      if (reconnect) {
        locked.config = reconnect.p.config;
        locked.credentialsEncrypted = this.vault.seal(
          reconnect.v.secrets ?? reconnect.p.secrets,
          locked.id,
        );
        locked.externalAccountId = reconnect.v.externalAccountId ?? reconnect.p.externalAccountId;
        locked.handle = reconnect.v.handle;
        locked.lastError = null;
        locked.throttledUntil = null;
        // Another account or instance: polling starts afresh (its cursor means nothing there).
        if (
          JSON.stringify(before.config) !== JSON.stringify(locked.config) ||
          locked.externalAccountId !== existing.externalAccountId
        ) {
          locked.cursor = null;
        }
        if (locked.status === 'degraded') locked.status = 'active';
      }
      await manager.save(locked);
      const change = changedFields(before, auditView(locked));
      if (change || reconnect) {
        await this.audit.record(manager, {
          organisationId: principal.organisation.id,
          actorId: principal.user.id,
          action: AuditAction.ChannelUpdated,
          subjectType: 'channel',
          subjectId: locked.id,
          before: change?.before ?? null,
          after: { ...(change?.after ?? {}), ...(reconnect ? { credentials: 'replaced' } : {}) },
        });
      }
      return locked;
    }).catch((error: unknown) =>
      this.duplicate(
        error,
        principal,
        existing.provider,
        reconnect ? (reconnect.v.externalAccountId ?? reconnect.p.externalAccountId) : null,
        existing.id,
      ),
    );
    if (connector.fetch) await this.schedule.apply(account);
    return this.present(account);
  }

  /** Stops polling and keeps the conversations (and their messages). */
  async remove(principal: Principal, id: string): Promise<ChannelDto> {
    const account = await inTransaction(this.db, async (manager) => {
      const existing = await this.accounts.find(principal.organisation.id, id, manager);
      if (!existing) throw ApiError.notFound('The channel');
      existing.deletedAt = new Date();
      existing.status = 'paused';
      await manager.save(existing);
      await this.audit.record(manager, {
        organisationId: principal.organisation.id,
        actorId: principal.user.id,
        action: AuditAction.ChannelDeleted,
        subjectType: 'channel',
        subjectId: existing.id,
        before: auditView(existing),
      });
      return existing;
    });
    await this.schedule.remove(account.id);
    return this.present(account);
  }

  private present(account: ChannelAccountEntity): ChannelDto {
    return presentChannel(account, this.connectors.get(account.provider));
  }

  private parse(connector: ChannelConnector, config: Record<string, unknown>) {
    try {
      return connector.parseConfig(config, { allowInsecureUrls: this.allowInsecureUrls });
    } catch (error) {
      if (error instanceof InvalidPayload) {
        throw ApiError.validation(`Invalid channel configuration: ${error.message}`, {
          config: [error.message],
        });
      }
      throw error;
    }
  }

  private async verify(
    principal: Principal,
    provider: string,
    connector: ChannelConnector,
    parsed: ReturnType<ChannelConnector['parseConfig']>,
  ): Promise<VerifiedAccount> {
    try {
      return await connector.verify(
        {
          config: parsed.config,
          secrets: parsed.secrets,
          externalAccountId: parsed.externalAccountId,
        },
        this.http,
      );
    } catch (error) {
      if (error instanceof Transient) {
        throw new ApiError(
          503,
          ErrorCode.Unavailable,
          `The channel could not be reached to check the credentials: ${error.message}`,
        );
      }
      if (error instanceof ChannelError) {
        this.logger.warn(
          `organisation ${principal.organisation.id}: ${provider} refused the credentials: ${error.message}`,
        );
        throw credentialsRefused();
      }
      throw error;
    }
  }

  /**
   * A channel identity is connected once across all organisations. Connected here already: a
   * conflict. Connected in another organisation: refused exactly like bad credentials.
   */
  private async refuseIfConnected(
    principal: Principal,
    provider: string,
    externalAccountId: string | null,
    self?: string,
  ): Promise<void> {
    if (!externalAccountId) return;
    const holder = await this.accounts.connectedIdentity(provider, externalAccountId);
    if (!holder || holder.id === self) return;
    if (holder.organisationId !== principal.organisation.id) {
      this.logger.warn(
        `organisation ${principal.organisation.id}: the ${provider} account is connected in another organisation`,
      );
      throw credentialsRefused();
    }
    throw ApiError.conflict(ALREADY_CONNECTED);
  }

  /** A unique violation (two connections racing): answered as if the other had come first. */
  private async duplicate(
    error: unknown,
    principal: Principal,
    provider: string,
    externalAccountId: string | null,
    self?: string,
  ): Promise<never> {
    if ((error as { code?: string }).code !== '23505') throw error;
    await this.refuseIfConnected(principal, provider, externalAccountId, self);
    throw ApiError.conflict(ALREADY_CONNECTED);
  }
}
