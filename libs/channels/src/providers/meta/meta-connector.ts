import type { ConfigField, ConnectedAccount, ParseOptions } from '../../connector';
import type { SafeHttp } from '../../http/safe-http';
import {
  graphCall,
  metaConfigFields,
  parseMetaConfig,
  type GraphCall,
  type MetaSecrets,
} from './graph';

export interface MetaConnectorOptions {
  /** The clock (the Messenger 24-hour window, private-reply age, throttling times). */
  now?: () => Date;
  /** Per request; SafeHttp's default otherwise. */
  timeoutMs?: number;
}

type MetaIdField = 'pageId' | 'igUserId';
type MetaConfig<IdField extends MetaIdField> = { [K in IdField]: string } & {
  graphBaseUrl: string;
};

/**
 * What Facebook and Instagram share: the page token, the Graph API at the account's base URL,
 * the clock and no idempotency key.
 */
export abstract class MetaConnector<IdField extends MetaIdField> {
  protected readonly now: () => Date;
  private readonly timeoutMs?: number;
  readonly configFields: readonly ConfigField[];

  protected constructor(
    private readonly idField: IdField,
    options: MetaConnectorOptions,
  ) {
    this.now = options.now ?? (() => new Date());
    this.timeoutMs = options.timeoutMs;
    this.configFields = metaConfigFields(idField);
  }

  parseConfig(
    input: unknown,
    options: ParseOptions = { allowInsecureUrls: false },
  ): { config: MetaConfig<IdField>; secrets: MetaSecrets; externalAccountId: string } {
    return parseMetaConfig(input, this.idField, options);
  }

  /** Meta has no idempotency key: the reply id only names the attempt in our records. */
  newIdempotencyKey(replyId: string, _now?: Date): string {
    return replyId;
  }

  /** A Graph call with the account's base URL and page token, this connector's clock and timeout. */
  protected graph(
    http: SafeHttp,
    account: ConnectedAccount<MetaConfig<IdField>, MetaSecrets>,
    call: Omit<GraphCall, 'baseUrl' | 'token' | 'now' | 'timeoutMs'> & { now?: Date },
  ): Promise<Record<string, unknown>> {
    return graphCall(http, {
      ...call,
      baseUrl: account.config.graphBaseUrl,
      token: account.secrets.pageAccessToken,
      now: call.now ?? this.now(),
      timeoutMs: this.timeoutMs,
    });
  }
}
