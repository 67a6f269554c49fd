export * from './attachment-files';
export * from './attachment-link';
export * from './attachment-store';
export * from './malware-scanner';
