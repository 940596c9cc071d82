import { Global, Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { loadEnvironment } from './environment';

/** Validated configuration for every Nest application of Toonbank (api, worker). */
@Global()
@Module({})
export class ToonbankConfigModule {
  static forRoot(): DynamicModule {
    return {
      module: ToonbankConfigModule,
      imports: [
        ConfigModule.forRoot({
          ignoreEnvFile: true,
          cache: true,
          validate: (raw) => ({ ...loadEnvironment(raw) }),
        }),
      ],
      exports: [ConfigModule],
    };
  }
}
