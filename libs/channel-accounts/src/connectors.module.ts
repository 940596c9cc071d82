import { Module } from '@nestjs/common';
import { CONNECTOR_PROVIDERS } from './connector-providers';
import { CONNECTOR_REGISTRY, SAFE_HTTP } from './tokens';

/** The connectors and their HTTP client, one instance per process. */
@Module({
  providers: [...CONNECTOR_PROVIDERS],
  exports: [CONNECTOR_REGISTRY, SAFE_HTTP],
})
export class ConnectorsModule {}
