export * from './code-lists';
export * from './instrument';
export * from './review-record';
export * from './review-digest';
