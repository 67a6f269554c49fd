import { createHash } from 'node:crypto';
import { DeidFinding, DeidNoticeText, scanNotice } from '@sne/core';

/**
 * The guard's scan is a pure function of a notice's four fields, its agency's public contacts
 * and the texts of the review it was drafted from, and it is the slowest step of submitting and
 * approving (10–25 ms for a short notice, inside the approval's transaction). A notice is scanned on submit and scanned again, unchanged,
 * on approve: the second scan is answered from here. The key is a digest of the exact inputs, so
 * any edit, or any change of the agency's contacts, scans afresh; a new build starts empty, so a
 * changed guard never answers from an old one's results.
 */
export class DeidScanCache {
  private readonly results = new Map<string, readonly DeidFinding[]>();

  constructor(
    private readonly capacity = 512,
    private readonly scan: typeof scanNotice = scanNotice,
  ) {}

  findings(notice: DeidNoticeText, knownPublic: readonly string[], reviewedText: readonly string[] = []): DeidFinding[] {
    const key = digest(notice, knownPublic, reviewedText);
    let found = this.results.get(key);
    if (found) {
      // Most recently used last: the first key is the one to evict.
      this.results.delete(key);
    } else {
      found = Object.freeze(this.scan(notice, { knownPublic, reviewedText }).map((f) => Object.freeze({ ...f })));
      if (this.results.size >= this.capacity) this.results.delete(this.results.keys().next().value!);
    }
    this.results.set(key, found);
    // Callers get their own objects: nothing they do changes what the next caller reads.
    return found.map((f) => ({ ...f }));
  }

  get size(): number {
    return this.results.size;
  }
}

function digest(notice: DeidNoticeText, knownPublic: readonly string[], reviewedText: readonly string[]): string {
  const input = [notice.title ?? '', notice.summary ?? '', notice.body ?? '', notice.requiredActions ?? [], knownPublic, reviewedText];
  return createHash('sha256').update(JSON.stringify(input)).digest('base64');
}
