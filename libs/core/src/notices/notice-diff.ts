import { diffLines } from 'diff';

export interface FieldChange {
  field: string;
  before: string;
  after: string;
  /** For long text: the changed lines, `+ ` added and `- ` removed. */
  lines?: string[];
}

type Comparable = object;

/** The content fields a reader compares, with their labels. */
export const NOTICE_FIELD_LABELS: Record<string, string> = {
  title: 'Title',
  summary: 'Summary',
  bodyMarkdown: 'Body',
  category: 'Category',
  severity: 'Severity',
  topics: 'Topics',
  targetJurisdictions: 'Target jurisdictions',
  requiredActions: 'Required actions',
  acknowledgeBy: 'Acknowledge by',
  actionsDueBy: 'Actions due by',
  effectiveAt: 'Effective',
  expiresAt: 'Expires',
  incidentReference: 'Incident reference',
};

function show(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.join('\n');
  return String(value);
}

/** What an update changed, field by field, in words a recipient can read. */
export function diffNotices(before: Comparable, after: Comparable): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of Object.keys(NOTICE_FIELD_LABELS)) {
    const a = show((before as Record<string, unknown>)[field]);
    const b = show((after as Record<string, unknown>)[field]);
    if (a === b) continue;
    const change: FieldChange = { field: NOTICE_FIELD_LABELS[field], before: a, after: b };
    if (a.includes('\n') || b.includes('\n')) {
      change.lines = diffLines(a.endsWith('\n') ? a : `${a}\n`, b.endsWith('\n') ? b : `${b}\n`)
        .filter((part) => part.added || part.removed)
        .flatMap((part) => part.value.replace(/\n$/, '').split('\n').map((line) => `${part.added ? '+' : '-'} ${line}`));
    }
    changes.push(change);
  }
  return changes;
}

/** The diff as plain text, for emails and webhook payloads. */
export function describeChanges(changes: FieldChange[]): string {
  return changes
    .map((c) => (c.lines ? `${c.field}:\n${c.lines.map((l) => `  ${l}`).join('\n')}` : `${c.field}: "${c.before}" → "${c.after}"`))
    .join('\n');
}
