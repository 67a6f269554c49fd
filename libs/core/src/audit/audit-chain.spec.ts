import { ChainLink, ChainWalker, chainHash, GENESIS_HASH } from './audit-chain';
import { exportLine, parseExportLine } from './audit-export';

/** A chain of n links as an export would carry them (content: the canonical jsonb text). */
function chain(n: number): ChainLink[] {
  const out: ChainLink[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const id = i * 2; // ids with holes, like a log with rolled-back inserts
    const content = `{"id": ${id}, "at": "2026-01-02T03:04:05.000006Z", "after": {"n": 1.50}, "action": "thing.done", "entityId": "e-${i}", "entityType": "thing"}`;
    const hash = chainHash(prev, content);
    out.push(parseExportLine(exportLine(i, prev, hash, content), i));
    prev = hash;
  }
  return out;
}

function walk(links: ChainLink[], seqExists?: (seq: number) => boolean, anchor?: string) {
  const w = new ChainWalker(seqExists, anchor);
  for (const l of links) if (!w.push(l)) break;
  w.end();
  return w.result('file');
}

describe('the chain walker', () => {
  it('accepts an intact chain and keeps numbers exactly as written', () => {
    const links = chain(5);
    expect(links[0].content).toContain('"n": 1.50');
    expect(walk(links)).toEqual({ ok: true, source: 'file', checked: 5, head: { seq: 5, id: '10', hash: links[4].hash } });
  });

  it('names an edited event', () => {
    const links = chain(5);
    links[2] = { ...links[2], content: links[2].content!.replace('"e-3"', '"e-33"'), entityId: 'e-33' };
    expect(walk(links)).toMatchObject({ ok: false, checked: 2, firstBroken: { seq: 3, id: '6', entityId: 'e-33', problem: 'content changed' } });
  });

  it('tells an altered stored hash from an altered event', () => {
    const links = chain(5);
    links[1] = { ...links[1], hash: 'f'.repeat(64) };
    expect(walk(links).firstBroken).toMatchObject({ seq: 2, problem: 'hash mismatch' });
  });

  it('names a missing link by the event after the gap, and a duplicated one as out of order', () => {
    const links = chain(5);
    expect(walk([...links.slice(0, 2), ...links.slice(3)]).firstBroken).toMatchObject({ seq: 4, id: '8', problem: 'missing event' });
    expect(walk([...links.slice(0, 3), links[2], ...links.slice(3)]).firstBroken).toMatchObject({ seq: 3, problem: 'out of order' });
  });

  it('names a reordering as out of order', () => {
    const links = chain(5);
    const swapped = [links[0], links[3], links[2], links[1], links[4]];
    expect(walk(swapped, (seq) => seq >= 1 && seq <= 5).firstBroken).toMatchObject({ seq: 4, id: '8', problem: 'out of order' });
  });

  it('reports an anchor that the chain no longer reaches', () => {
    const links = chain(5);
    expect(walk(links, undefined, links[2].hash)).toMatchObject({ ok: true, anchor: { foundAtSeq: 3 } });
    expect(walk(links.slice(0, 3), undefined, links[4].hash)).toMatchObject({ ok: false, firstBroken: { seq: 4, problem: 'missing event' } });
  });

  it('reads back only lines exactly as exported', () => {
    const line = chain(1)[0];
    const text = exportLine(1, line.prevHash, line.hash, line.content);
    expect(parseExportLine(text, 1)).toEqual(line);
    expect(parseExportLine(JSON.stringify(JSON.parse(text), null, 1), 7).unreadable).toMatch(/line 7 is not an export line/);
    expect(parseExportLine(exportLine(2, line.prevHash, line.hash, null), 2)).toMatchObject({ seq: 2, content: null, eventId: null });
  });
});
