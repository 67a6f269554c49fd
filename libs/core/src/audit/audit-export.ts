import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { AuditChainReport, ChainLink, ChainWalker, LinkRow, linksSql, PAGE, Query } from './audit-chain';

/**
 * The audit chain's export files (audit-chain.ts for the chain itself): JSON lines, one link per
 * line, in seq order, with the canonical text of the event embedded verbatim, so a file can be
 * checked offline byte for byte.
 */

/** One export line; `content` is the canonical text, embedded verbatim (null: the event is gone). */
export function exportLine(seq: number | string, prevHash: string, hash: string, content: string | null): string {
  return `{"seq":${seq},"prevHash":"${prevHash}","hash":"${hash}","event":${content ?? 'null'}}`;
}

const LINE = /^\{"seq":(\d{1,15}),"prevHash":"([0-9a-f]{64})","hash":"([0-9a-f]{64})","event":(.*)\}$/;

/** Reads an export line back: the canonical text exactly as written, plus what names the event. */
export function parseExportLine(line: string, lineNo: number): ChainLink {
  const m = LINE.exec(line);
  let content: string | null = null;
  let event: Record<string, unknown> | null = null;
  let problem: string | undefined;
  let looseSeq = Number.NaN;
  if (m) {
    content = m[4] === 'null' ? null : m[4];
    try {
      event = content === null ? null : JSON.parse(content);
      if (event !== null && (typeof event !== 'object' || Array.isArray(event))) problem = `line ${lineNo}: the event is not an object`;
    } catch {
      problem = `line ${lineNo}: the event is not valid JSON`;
    }
  } else {
    problem = `line ${lineNo} is not an export line as written (edited or reformatted)`;
    try {
      const loose = JSON.parse(line);
      event = loose?.event && typeof loose.event === 'object' ? loose.event : null;
      if (Number.isSafeInteger(loose?.seq)) looseSeq = loose.seq;
    } catch {
      /* named by line number only */
    }
  }
  const seq = m ? Number(m[1]) : looseSeq;
  const id = event && (typeof event.id === 'number' || typeof event.id === 'string') && /^\d+$/.test(String(event.id)) ? String(event.id) : null;
  if (!problem && content !== null && id === null) problem = `line ${lineNo}: the event has no id`;
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    seq,
    eventId: id,
    prevHash: m?.[2] ?? '',
    hash: m?.[3] ?? '',
    content,
    action: str(event?.action),
    entityType: str(event?.entityType),
    entityId: str(event?.entityId),
    ...(problem ? { unreadable: problem } : {}),
  };
}

async function* linesOf(path: string): AsyncGenerator<{ line: string; no: number }> {
  const rl = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let no = 0;
  for await (const line of rl) {
    no++;
    if (line.trim() !== '') yield { line, no };
  }
}

/** Verifies an export file offline (two passes: the seq numbers present, then the walk in file order). */
export async function verifyAuditExport(path: string, options: { anchor?: string } = {}): Promise<AuditChainReport> {
  const present = new Set<number>();
  for await (const { line } of linesOf(path)) {
    const m = /^\{"seq":(\d{1,15}),/.exec(line);
    if (m) present.add(Number(m[1]));
  }
  const walker = new ChainWalker((seq) => present.has(seq), options.anchor?.toLowerCase());
  for await (const { line, no } of linesOf(path)) {
    if (!walker.push(parseExportLine(line, no))) break;
  }
  walker.end();
  return walker.result('file');
}

/** The sealed chain as export lines, page by page in seq order (events that are gone export as null). */
export async function* exportAuditChain(query: Query, page = PAGE): AsyncGenerator<string[]> {
  let after = 0;
  for (;;) {
    const rows: LinkRow[] = await query(linksSql(), [after, page]);
    if (rows.length === 0) return;
    yield rows.map((r) => exportLine(r.seq, r.prev_hash, r.hash, r.content));
    if (rows.length < page) return;
    after = Number(rows[rows.length - 1].seq);
  }
}
