export * from './business-time';
export * from './sla.module';
export * from './sla.service';
