export * from './suppression';
export * from './cube';
