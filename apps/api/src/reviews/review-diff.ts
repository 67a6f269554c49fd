import { diffWords } from 'diff';
import { itemsOf, labelOf, ReviewRecordInput, WordPart } from '@sne/core';

/** One changed field between two versions of a review: free text word by word, coded fields as before → after. */
export interface ReviewFieldChange {
  field: string;
  label: string;
  parts: WordPart[];
}

const INCIDENT_FIELDS: [keyof ReviewRecordInput['incident'], string, ((v: string) => string)?][] = [
  ['incidentType', 'Incident type', (v) => labelOf('incidentType', v)],
  ['incidentYear', 'Year'],
  ['incidentMonth', 'Month'],
  ['ageBand', 'Age band', (v) => labelOf('ageBand', v)],
  ['priorInvolvement', 'Prior involvement', (v) => labelOf('priorInvolvement', v)],
  ['priorRecency', 'Recency of prior involvement', (v) => labelOf('priorRecency', v)],
  ['circumstances', 'Circumstances', (v) => v.split('\n').map((c) => labelOf('circumstance', c)).join(', ')],
  ['summary', 'Incident summary'],
];

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join('\n');
  return String(value);
}

function change(field: string, label: string, before: string, after: string, words: boolean): ReviewFieldChange | null {
  if (before === after) return null;
  const parts: WordPart[] = words
    ? diffWords(before, after).map((p) => ({ text: p.value, change: p.added ? 'added' : p.removed ? 'removed' : 'same' }))
    : [...(before ? [{ text: before, change: 'removed' as const }] : []), ...(after ? [{ text: after, change: 'added' as const }] : [])];
  return { field, label, parts };
}

/** What changed from one version of a review to the next: incident fields, summary, each rating, each finding and recommendation. */
export function diffReviewRecords(before: ReviewRecordInput, after: ReviewRecordInput): ReviewFieldChange[] {
  const out: (ReviewFieldChange | null)[] = [];
  for (const [key, label, show] of INCIDENT_FIELDS) {
    const [a, b] = [text(before.incident?.[key]), text(after.incident?.[key])];
    const words = key === 'summary';
    out.push(change(`incident.${key}`, label, a && show && !words ? show(a) : a, b && show && !words ? show(b) : b, words));
  }
  out.push(change('summary', 'Review summary', text(before.summary), text(after.summary), true));
  const items = itemsOf(after.instrumentVersion ?? '');
  const ids = [...new Set([...Object.keys(before.ratings ?? {}), ...Object.keys(after.ratings ?? {})])].sort();
  for (const id of ids) {
    out.push(change(`ratings.${id}`, `Rating: ${items.get(id)?.item.text ?? id}`, text(before.ratings?.[id]), text(after.ratings?.[id]), false));
  }
  const nf = Math.max(before.findings?.length ?? 0, after.findings?.length ?? 0);
  for (let n = 0; n < nf; n++) out.push(change(`findings[${n}].text`, `Finding ${n + 1}`, text(before.findings?.[n]?.text), text(after.findings?.[n]?.text), true));
  const nr = Math.max(before.recommendations?.length ?? 0, after.recommendations?.length ?? 0);
  for (let n = 0; n < nr; n++) {
    const [a, b] = [before.recommendations?.[n], after.recommendations?.[n]];
    out.push(change(`recommendations[${n}].text`, `Recommendation ${n + 1}`, text(a?.text), text(b?.text), true));
    out.push(change(`recommendations[${n}].owner`, `Recommendation ${n + 1}: owner`, text(a?.owner), text(b?.owner), false));
    out.push(change(`recommendations[${n}].targetDate`, `Recommendation ${n + 1}: target date`, text(a?.targetDate), text(b?.targetDate), false));
  }
  return out.filter((c): c is ReviewFieldChange => c !== null);
}
