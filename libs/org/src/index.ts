export * from './business-hours';
export * from './org.module';
export * from './organisation.presenter';
