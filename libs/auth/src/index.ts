export * from './access-tokens';
export * from './auth.guard';
export * from './auth.module';
export * from './principal-loader';
export * from './refresh-tokens';
export * from './refresh-cookie';
