import { Inject, Injectable } from '@nestjs/common';
import type {
  ChannelConnector,
  ConnectedAccount,
  ConnectorRegistry,
  SafeHttp,
} from '@toonbank/channels';
import type { ChannelAccountEntity } from '@toonbank/database';
import { CredentialVault } from '@toonbank/platform';
import { ChannelAccountsRepository } from './channel-accounts.repository';
import { CONNECTOR_REGISTRY, SAFE_HTTP } from './tokens';

/**
 * A channel account ready to talk to its channel: the secrets opened, and renewed first when
 * they are about to expire (stored at once, compare-and-set, so that the poller and the
 * outbound queue renewing at the same moment never store an older token over a newer one).
 */
@Injectable()
export class ChannelSessions {
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
    const connector = this.connectorFor(account);
    const connected: ConnectedAccount = {
      config: account.config,
      secrets: account.credentialsEncrypted
        ? this.vault.open(account.credentialsEncrypted, account.id)
        : {},
      externalAccountId: account.externalAccountId,
    };
    const renewed = connector.refresh ? await connector.refresh(connected, this.http, now) : null;
    if (renewed) {
      await this.accounts.saveCredentials(
        account.organisationId,
        account.id,
        this.vault.seal(renewed, account.id),
        account.credentialsEncrypted,
      );
      connected.secrets = renewed;
    }
    return connected;
  }
}
