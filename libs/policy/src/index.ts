export * from './capabilities';
export * from './decide';
export * from './matrix';
export * from './organisation-policy';
