import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { SafeHttp } from '@toonbank/channels';
import type { Environment } from '@toonbank/platform';
import { createConnectorRegistry } from './connectors';
import { CONNECTOR_REGISTRY, SAFE_HTTP } from './tokens';

/** Closes the connectors' HTTP agent when the application stops. */
@Injectable()
class SafeHttpShutdown implements OnApplicationShutdown {
  constructor(@Inject(SAFE_HTTP) private readonly http: SafeHttp) {}

  async onApplicationShutdown(): Promise<void> {
    await this.http.close();
  }
}

/** The connectors and the HTTP client they reach channels with (the api checks credentials, the worker polls). */
export const CONNECTOR_PROVIDERS = [
  {
    provide: CONNECTOR_REGISTRY,
    inject: [ConfigService],
    useFactory: (config: ConfigService<Environment, true>) =>
      createConnectorRegistry({
        blueskyPlcDirectoryUrl: config.get('BLUESKY_PLC_DIRECTORY_URL', { infer: true }),
      }),
  },
  {
    provide: SAFE_HTTP,
    inject: [ConfigService],
    useFactory: (config: ConfigService<Environment, true>) =>
      new SafeHttp(config.get('CHANNEL_ALLOW_INSECURE_URLS', { infer: true })),
  },
  SafeHttpShutdown,
];
