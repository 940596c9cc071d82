import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  AuthExpired,
  TokenExpired,
  type ChannelConnector,
  type ConnectedAccount,
  type ConnectorRegistry,
  type SafeHttp,
} from '@toonbank/channels';
import type { ChannelAccountEntity } from '@toonbank/database';
import { CredentialVault } from '@toonbank/platform';
import { ChannelAccountsRepository } from './channel-accounts.repository';
import { CONNECTOR_REGISTRY, SAFE_HTTP } from './tokens';

/** A connected account and the sealed credentials its secrets came from. */
interface OpenSession {
  connected: ConnectedAccount;
  sealed: string | null;
}

/**
 * A channel account ready to talk to its channel: the secrets opened, and renewed first when
 * they are about to expire (stored at once, compare-and-set, so that the poller and the
 * outbound queue renewing at the same moment never store an older token over a newer one).
 * When the channel itself says the token expired (TokenExpired), `withSession` renews the
 * session whatever our clock thinks, stores it at once and tries once more.
 */
@Injectable()
export class ChannelSessions {
  private readonly logger = new Logger(ChannelSessions.name);

  constructor(
    private readonly accounts: ChannelAccountsRepository,
    private readonly vault: CredentialVault,
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
    const connector = this.connectorFor(account);
    const connected = this.unsealed(account, account.credentialsEncrypted);
    const renewed = connector.refresh ? await connector.refresh(connected, this.http, now) : null;
    if (!renewed) return { connected, sealed: account.credentialsEncrypted };
    const sealed = await this.store(account, renewed, account.credentialsEncrypted);
    return { connected: { ...connected, secrets: renewed }, sealed };
  }

  /**
   * The session after the channel refused the one sealed as `used`: the stored secrets when
   * someone stored newer ones meanwhile (renewed only if due), else renewed by force. A
   * connector without renewal (a Meta page token, a Mastodon token) gets the stored secrets.
   */
  private async renewRefused(
    account: ChannelAccountEntity,
    used: string | null,
    refusal: TokenExpired,
  ): Promise<ConnectedAccount> {
    const connector = this.connectorFor(account);
    const fresh = await this.reread(account, refusal);
    const stored = fresh.credentialsEncrypted;
    const current = this.unsealed(fresh, stored);
    if (!connector.refresh) return current;
    let renewed;
    try {
      renewed = await connector.refresh(current, this.http, new Date(), {
        force: stored === used,
      });
    } catch (error) {
      // A refresh token spent by another process renewing at the same moment: take its result.
      if (!(error instanceof AuthExpired)) throw error;
      const after = await this.reread(account, refusal);
      if (after.credentialsEncrypted === stored) throw error;
      return this.unsealed(after, after.credentialsEncrypted);
    }
    if (!renewed) return current;
    await this.store(account, renewed, stored);
    return { ...current, secrets: renewed };
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

  /** Seals and stores renewed secrets unless the stored ones are no longer `readAs`. */
  private async store(
    account: ChannelAccountEntity,
    secrets: Record<string, unknown>,
    readAs: string | null,
  ): Promise<string> {
    const sealed = this.vault.seal(secrets, account.id);
    await this.accounts.saveCredentials(account.organisationId, account.id, sealed, readAs);
    return sealed;
  }
}
