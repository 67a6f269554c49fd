export { DEID_KINDS, DEFAULT_NLP, NOT_A_NOTICE, scanForIdentifyingData, scanNotice } from './deid-scanner';
export type { DeidFinding, DeidKind, DeidNoticeText, DeidScanOptions } from './deid-scanner';
export * from './evaluate';
