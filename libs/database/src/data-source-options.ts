import { MIGRATIONS } from '@toonbank/migrations';
import type { DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { ToonbankNamingStrategy } from './naming-strategy';

export interface DatabaseConnectionSettings {
  url: string;
  /** Connections in this process's pool. */
  poolSize?: number;
  /** Shown in pg_stat_activity: which process holds a connection. */
  applicationName?: string;
}

/** The one description of Toonbank's database, shared by the api, the worker, the CLI and the tests. */
export function dataSourceOptions(settings: DatabaseConnectionSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url: settings.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    namingStrategy: new ToonbankNamingStrategy(),
    // gen_random_uuid() is built into PostgreSQL 13+: no extension to install.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    synchronize: false,
    migrationsRun: false,
    extra: {
      max: settings.poolSize ?? 10,
      application_name: settings.applicationName ?? 'toonbank',
    },
  };
}
