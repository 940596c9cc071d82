export * from './decide';
export * from './matrix';
