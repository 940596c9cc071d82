import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  TokenExpired,
  type ChannelConnector,
  type ConnectedAccount,
  type ConnectorRegistry,
  type SafeHttp,
} from '@toonbank/channels';
import type { ChannelAccountEntity } from '@toonbank/database';
import { CredentialVault, inTransaction } from '@toonbank/platform';
import { DataSource } from 'typeorm';
import { ChannelAccountsRepository } from './channel-accounts.repository';
import { CONNECTOR_REGISTRY, SAFE_HTTP } from './tokens';

/** Seed of the per-account renewal lock's key (a transaction-scoped advisory lock). */
const SESSION_RENEWAL = 0x72656e77; // 'renw'

/** A connected account and the sealed credentials its secrets came from. */
interface OpenSession {
  connected: ConnectedAccount;
  sealed: string | null;
}

/**
 * A channel account ready to talk to its channel: the secrets opened, and renewed first when
 * they are about to expire. When the channel itself says the token expired (TokenExpired),
 * `withSession` renews the session whatever our clock thinks and tries once more.
 *
 * A renewal runs under the account's renewal lock (a transaction-scoped advisory lock per
 * account): the stored secrets are read again under it, renewed only if still due (or still
 * the ones the channel refused), and stored before it goes. A channel honours a rotating
 * refresh token once, so the poller and four outbound sends renewing at the same moment must
 * take turns: the first renews, the others find its successor stored and use that.
 */
@Injectable()
export class ChannelSessions {
  private readonly logger = new Logger(ChannelSessions.name);

  constructor(
    private readonly accounts: ChannelAccountsRepository,
    private readonly vault: CredentialVault,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CONNECTOR_REGISTRY) private readonly connectors: ConnectorRegistry,
    @Inject(SAFE_HTTP) readonly http: SafeHttp,
  ) {}

  connectorFor(account: ChannelAccountEntity): ChannelConnector {
    return this.connectors.get(account.provider);
  }

  async connected(account: ChannelAccountEntity, now: Date): Promise<ConnectedAccount> {
    return (await this.open(account, now)).connected;
  }

  /**
   * Runs `use` on the connected account. When the channel answers TokenExpired, the session is
   * renewed (forced, or the secrets another process or an admin stored meanwhile are taken),
   * stored at once, and `use` runs once more; a second TokenExpired goes to the caller, an
   * auth failure like any other. A refused token did nothing on the channel, so `use` may run
   * again (a send keeps its idempotency key).
   */
  async withSession<T>(
    account: ChannelAccountEntity,
    now: Date,
    use: (connected: ConnectedAccount) => Promise<T>,
  ): Promise<T> {
    const session = await this.open(account, now);
    try {
      return await use(session.connected);
    } catch (error) {
      if (!(error instanceof TokenExpired)) throw error;
      this.logger.warn(
        `${account.provider} ${account.id}: the channel says the token expired; renewing the session`,
      );
      const renewed = await this.renewRefused(account, session.sealed, error);
      return use(renewed);
    }
  }

  private async open(account: ChannelAccountEntity, now: Date): Promise<OpenSession> {
    if (!this.connectorFor(account).refresh) {
      return {
        connected: this.unsealed(account, account.credentialsEncrypted),
        sealed: account.credentialsEncrypted,
      };
    }
    return this.renewExclusively(account, now, null);
  }

  /**
   * The session after the channel refused the one sealed as `used`: the stored secrets when
   * someone stored newer ones meanwhile (renewed only if due), else renewed by force. A
   * connector without renewal (a Meta page token, a Mastodon token) gets the secrets stored
   * meanwhile, or the refusal at once when they are still the refused ones.
   */
  private async renewRefused(
    account: ChannelAccountEntity,
    used: string | null,
    refusal: TokenExpired,
  ): Promise<ConnectedAccount> {
    if (this.connectorFor(account).refresh) {
      return (await this.renewExclusively(account, new Date(), { used, refusal })).connected;
    }
    const fresh = await this.reread(account, refusal);
    // Nothing stored meanwhile: the same token would be refused again.
    if (fresh.credentialsEncrypted === used) throw refusal;
    return this.unsealed(fresh, fresh.credentialsEncrypted);
  }

  /**
   * Under the account's renewal lock: the stored session, renewed when due, or by force when
   * it is still the one the channel refused, and stored before the lock goes. The lock is held
   * over the channel's token call (one HTTP request, under SafeHttp's timeout): whoever waits
   * for it would otherwise spend the same refresh token, which the channel honours once.
   * Run once only (no retry): the channel has rotated the token once the call answered.
   */
  private renewExclusively(
    account: ChannelAccountEntity,
    now: Date,
    refused: { used: string | null; refusal: TokenExpired } | null,
  ): Promise<OpenSession> {
    const connector = this.connectorFor(account);
    return inTransaction(
      this.db,
      async (manager) => {
        await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($2, $1))', [
          SESSION_RENEWAL,
          account.id,
        ]);
        const fresh = await this.accounts.withCredentials(
          account.organisationId,
          account.id,
          manager,
        );
        if (!fresh && refused) throw refused.refusal; // the channel was removed meanwhile
        const stored = (fresh ?? account).credentialsEncrypted;
        const current = this.unsealed(fresh ?? account, stored);
        const renewed = await connector.refresh!(current, this.http, now, {
          force: refused !== null && stored === refused.used,
        });
        if (!renewed) return { connected: current, sealed: stored };
        const sealed = this.vault.seal(renewed, account.id);
        await this.accounts.saveCredentials(
          account.organisationId,
          account.id,
          sealed,
          stored,
          manager,
        );
        return { connected: { ...current, secrets: renewed }, sealed };
      },
      { attempts: 1 },
    );
  }

  /** The account as stored now, with its sealed credentials. */
  private async reread(
    account: ChannelAccountEntity,
    refusal: TokenExpired,
  ): Promise<ChannelAccountEntity> {
    const fresh = await this.accounts.withCredentials(account.organisationId, account.id);
    if (!fresh) throw refusal; // the channel was removed meanwhile
    return fresh;
  }

  private unsealed(account: ChannelAccountEntity, sealed: string | null): ConnectedAccount {
    return {
      config: account.config,
      secrets: sealed ? this.vault.open(sealed, account.id) : {},
      externalAccountId: account.externalAccountId,
    };
  }
}
