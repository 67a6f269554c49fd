export * from './culture-instrument';
export * from './scoring';
export * from './results';
export * from './statistics';
export * from './count-suppression';
export * from './domain-suppression';
