/** Plain-text reports of evaluations: a summary table, a per-kind table, then the misses by id. */
import { DEID_KINDS } from './kinds';
import { DeidEvaluation } from './evaluate';

const pct = (x: number | null): string => (x === null ? '  n/a ' : `${(x * 100).toFixed(1).padStart(5)}%`);

export function formatSummary(evals: DeidEvaluation[]): string {
  const lines = ['set                          texts  ident  clean  flagged   TP   FN   FP   recall  precision  span recall'];
  for (const e of evals) {
    lines.push(
      `${e.label.padEnd(28)} ${String(e.texts).padStart(5)}  ${String(e.identifyingTexts).padStart(5)}  ${String(e.cleanTexts).padStart(5)}  ${String(e.flaggedTexts).padStart(7)}  ${String(e.truePositives).padStart(3)}  ${String(e.falseNegatives.length).padStart(3)}  ${String(e.falsePositives.length).padStart(3)}  ${pct(e.recall)}  ${pct(e.precision).padStart(9)}  ${pct(e.spanRecall).padStart(11)}`,
    );
  }
  return lines.join('\n');
}

export function formatPerKind(e: DeidEvaluation): string {
  const lines = [`per kind on ${e.label}: span recall (found/labelled), precision (correct/findings), findings in clean texts`];
  for (const kind of DEID_KINDS) {
    const k = e.perKind.find((p) => p.kind === kind)!;
    lines.push(`  ${kind.padEnd(18)} recall ${pct(k.recall)} ${`${k.found}/${k.spans}`.padStart(7)}   precision ${pct(k.precision)} ${`${k.correctFindings}/${k.findings}`.padStart(7)}   in clean ${String(k.findingsInCleanTexts).padStart(3)}`);
  }
  return lines.join('\n');
}

export function formatMisses(e: DeidEvaluation): string {
  const lines: string[] = [];
  lines.push(`[${e.label}] false negatives (identifying, nothing found): ${e.falseNegatives.length ? '' : 'none'}`);
  for (const id of e.falseNegatives) {
    const r = e.results.find((x) => x.item.id === id)!;
    lines.push(`  ${id}  ${r.item.kinds.join(',')}  ${truncate(r.item.text)}`);
  }
  lines.push(`[${e.label}] false positives (clean, flagged): ${e.falsePositives.length ? '' : 'none'}`);
  for (const id of e.falsePositives) {
    const r = e.results.find((x) => x.item.id === id)!;
    lines.push(`  ${id}  ${r.findings.map((f) => `${f.kind} '${f.text}'`).join('; ')}  <- ${truncate(r.item.text)}`);
  }
  lines.push(`[${e.label}] missed spans: ${e.missedSpans.length ? '' : 'none'}`);
  for (const m of e.missedSpans) lines.push(`  ${m.id}  ${m.kind.padEnd(18)} '${m.text}'`);
  return lines.join('\n');
}

function truncate(s: string, n = 110): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}
