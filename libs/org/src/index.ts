export * from './business-hours';
export * from './org.module';
export * from './organisation.presenter';
export * from './eligibility-shift';
export * from './policy.presenter';
