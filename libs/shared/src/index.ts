export * from './audit';
export * from './contract';
export * from './errors';
export * from './maturity';
export * from './permissions';
export * from './queues';
export * from './roles';
export * from './socket-events';
