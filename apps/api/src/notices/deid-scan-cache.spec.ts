import { DeidFinding, DeidNoticeText, scanNotice } from '@sne/core';
import { DeidScanCache } from './deid-scan-cache';

const notice: DeidNoticeText = {
  title: 'Safe sleep alert',
  summary: 'Call Maria Delgado at 555-201-4477 about her son.',
  body: 'Infant deaths in adult beds rose this quarter.',
  requiredActions: ['Share the guidance with home visitors'],
};

function counting() {
  const calls: { notice: DeidNoticeText; knownPublic?: readonly string[] }[] = [];
  const scan = (n: DeidNoticeText, o: { knownPublic?: readonly string[] } = {}): DeidFinding[] => {
    calls.push({ notice: n, knownPublic: o.knownPublic });
    return scanNotice(n, o);
  };
  return { calls, scan: scan as typeof scanNotice };
}

describe('DeidScanCache', () => {
  it('answers an unchanged notice from the first scan, with the same findings the scanner gives', () => {
    const { calls, scan } = counting();
    const cache = new DeidScanCache(8, scan);
    const first = cache.findings(notice, []);
    const second = cache.findings({ ...notice, requiredActions: [...notice.requiredActions] }, []);
    expect(calls).toHaveLength(1);
    expect(first.length).toBeGreaterThan(0);
    expect(second).toEqual(first);
    expect(second).toEqual(scanNotice(notice));
  });

  it.each<[string, DeidNoticeText, readonly string[]]>([
    ['the title', { ...notice, title: notice.title + '.' }, []],
    ['the summary', { ...notice, summary: 'Nothing identifying here.' }, []],
    ['the body', { ...notice, body: notice.body + ' ' }, []],
    ['a required action', { ...notice, requiredActions: ['Share the guidance'] }, []],
    ['one more required action', { ...notice, requiredActions: [...notice.requiredActions, ''] }, []],
    ["the agency's public contacts", notice, ['555-201-4477']],
  ])('scans afresh when %s changed', (_what, changed, knownPublic) => {
    const { calls, scan } = counting();
    const cache = new DeidScanCache(8, scan);
    cache.findings(notice, []);
    const again = cache.findings(changed, knownPublic);
    expect(calls).toHaveLength(2);
    expect(again).toEqual(scanNotice(changed, { knownPublic }));
  });

  it("scans afresh when the source review's approved texts changed, and passes them to the scan", () => {
    const calls: { reviewedText?: readonly string[] }[] = [];
    const scan = ((n: DeidNoticeText, o: { reviewedText?: readonly string[] } = {}) => {
      calls.push({ reviewedText: o.reviewedText });
      return scanNotice(n, o);
    }) as typeof scanNotice;
    const cache = new DeidScanCache(8, scan);
    cache.findings(notice, [], ['A finding.']);
    cache.findings(notice, [], ['A finding.']);
    cache.findings(notice, [], ['Another finding.']);
    expect(calls.map((c) => c.reviewedText)).toEqual([['A finding.'], ['Another finding.']]);
  });

  it('does not let one caller change what the next one reads', () => {
    const cache = new DeidScanCache(8);
    const first = cache.findings(notice, []);
    first[0].text = 'changed';
    first.pop();
    expect(cache.findings(notice, [])).toEqual(scanNotice(notice));
  });

  it('keeps at most its capacity, evicting the least recently used', () => {
    const { calls, scan } = counting();
    const cache = new DeidScanCache(2, scan);
    const a = { ...notice, title: 'a' };
    const b = { ...notice, title: 'b' };
    const c = { ...notice, title: 'c' };
    cache.findings(a, []);
    cache.findings(b, []);
    cache.findings(a, []); // a is now the most recent
    cache.findings(c, []); // evicts b
    expect(cache.size).toBe(2);
    expect(calls).toHaveLength(3);
    cache.findings(a, []);
    expect(calls).toHaveLength(3);
    cache.findings(b, []);
    expect(calls).toHaveLength(4);
  });
});
