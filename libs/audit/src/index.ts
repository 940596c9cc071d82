export * from './audit-log.service';
export * from './audit.module';
export * from './audit-api.module';
export * from './audit-log.query';
