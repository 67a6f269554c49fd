export * from './culture-instrument';
