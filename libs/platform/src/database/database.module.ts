import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions } from '@toonbank/database';
import type { Environment } from '../config/environment';

/** TypeORM on the configured PostgreSQL. Migrations are run by the CLI, never here. */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>) =>
        dataSourceOptions({
          url: config.get('DATABASE_URL', { infer: true }),
          poolSize: config.get('DATABASE_POOL_SIZE', { infer: true }),
          applicationName: `toonbank-${process.title === 'node' ? 'app' : process.title}`,
        }),
    }),
  ],
})
export class DatabaseModule {}
