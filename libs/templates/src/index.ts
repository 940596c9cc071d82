export * from './templates-api.module';
export * from './templates.module';
export * from './templates.repository';
export * from './tone-api.module';
export * from './tone-judge';
export * from './tone-profiles.repository';
export * from './tone-profile.presenter';
export * from './tone-check-limit';
