import { diffWords } from 'diff';
import { NOTICE_FIELD_LABELS } from './notice-diff';

/** One run of words: unchanged, added or removed. */
export interface WordPart {
  text: string;
  change: 'same' | 'added' | 'removed';
}

export interface FieldWordDiff {
  field: string;
  label: string;
  parts: WordPart[];
}

export interface VersionEntry {
  version: number;
  savedAt: string;
  savedBy: string | null;
  contentHash: string;
  /** What this version changed against the one before it (for the first: nothing, or against the notice it updates). */
  changes: FieldWordDiff[];
}

export interface StoredVersion {
  version: number;
  savedAt: Date;
  savedBy: string | null;
  contentHash: string;
  content: Record<string, unknown>;
}

function show(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join('\n');
  // Times compare as instants, whichever way they were written (ISO with Z, or PostgreSQL's +00:00).
  if (typeof value === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(value) && !Number.isNaN(Date.parse(value))) return new Date(value).toISOString();
  return String(value);
}

/** Word-level differences between two versions' content, field by field (unchanged fields left out). */
export function wordDiff(before: Record<string, unknown>, after: Record<string, unknown>): FieldWordDiff[] {
  const out: FieldWordDiff[] = [];
  for (const [field, label] of Object.entries(NOTICE_FIELD_LABELS)) {
    const a = show(before[field]);
    const b = show(after[field]);
    if (a === b) continue;
    const parts = diffWords(a, b).map((p): WordPart => ({ text: p.value, change: p.added ? 'added' : p.removed ? 'removed' : 'same' }));
    out.push({ field, label, parts });
  }
  return out;
}

/**
 * A notice's versions, oldest first, each with what it changed. `baseline`: the content of the
 * notice an update supersedes, so the update's first version shows what it changes.
 */
export function versionHistory(versions: StoredVersion[], baseline?: Record<string, unknown>): VersionEntry[] {
  const sorted = [...versions].sort((a, b) => a.version - b.version);
  return sorted.map((v, i) => {
    const previous = i > 0 ? sorted[i - 1].content : baseline;
    return {
      version: v.version,
      savedAt: v.savedAt.toISOString(),
      savedBy: v.savedBy,
      contentHash: v.contentHash,
      changes: previous ? wordDiff(previous, v.content) : [],
    };
  });
}
