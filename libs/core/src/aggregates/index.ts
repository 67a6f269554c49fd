export * from './suppression';
export * from './cube';
export * from './rates';
export * from './periods';
