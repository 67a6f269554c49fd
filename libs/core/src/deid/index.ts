export { DEID_KINDS, scanForIdentifyingData, scanNotice } from './deid-scanner';
export type { DeidFinding, DeidKind, DeidNoticeText } from './deid-scanner';
export * from './evaluate';
