export { DEID_KINDS, DEFAULT_NLP, scanForIdentifyingData, scanNotice } from './deid-scanner';
export type { DeidFinding, DeidKind, DeidNoticeText, DeidScanOptions } from './deid-scanner';
export * from './evaluate';
