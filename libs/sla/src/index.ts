export * from './business-time';
export * from './sla.module';
export * from './sla.service';
export * from './sla-timer-rebuild';
