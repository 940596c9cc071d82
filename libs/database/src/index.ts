export * from './data-source-options';
export * from './entities';
export * from './migrate';
export * from './naming-strategy';
export * from './numbers';
