/**
 * De-identification findings (`{ field, start, end, text, kind, reason }`, from a 422 on submit
 * or approve) placed on the text they were found in, so pages can mark them in place.
 */
import type { Principal } from '../common/principal';
import type { NoticeResponse } from '../notices/dto/notice.dto';
import type { NoticesService } from '../notices/notices.service';

export interface Finding {
  field: string;
  start: number;
  end: number;
  text: string;
  kind: string;
  reason: string;
}

export interface Segment {
  text: string;
  mark: boolean;
  n?: number;
  kind?: string;
  reason?: string;
}

export interface FieldFindings {
  /** Form field the finding belongs to: title, summary, body, requiredActions, incidentReference… */
  field: string;
  label: string;
  segments: Segment[];
  count: number;
}

const FIELD_LABELS: Record<string, string> = {
  title: 'Title',
  summary: 'Summary',
  body: 'Body',
  requiredActions: 'Required actions',
  incidentReference: 'Incident reference',
  targetJurisdictions: 'Target jurisdictions',
};

/** The findings array of a refusal body, if it has one of the expected shape. */
export function findingsOf(body: Record<string, unknown> | undefined): Finding[] {
  const raw = body?.findings;
  if (!Array.isArray(raw)) return [];
  return raw
    .filter((f): f is Record<string, unknown> => !!f && typeof f === 'object')
    .map((f) => ({
      field: String(f.field ?? ''),
      start: Number(f.start),
      end: Number(f.end),
      text: String(f.text ?? ''),
      kind: String(f.kind ?? 'finding'),
      reason: String(f.reason ?? ''),
    }));
}

/** `body`, `bodyMarkdown` → body; `requiredActions[1]` / `requiredActions.1` → requiredActions, item 1. */
function fieldOf(name: string): { field: string; index: number | null } {
  const m = /^([A-Za-z]+)(?:[.[](\d+)\]?)?/.exec(name);
  const base = m?.[1] ?? name;
  const field = base === 'bodyMarkdown' ? 'body' : base;
  return { field, index: m?.[2] !== undefined ? Number(m[2]) : null };
}

/**
 * The findings laid over the fields' current text. A list field (required actions) is shown as
 * its lines joined, as in the form; offsets that do not fit the text fall back to the finding's text.
 */
export function placeFindings(findings: Finding[], texts: Record<string, string | string[]>): { fields: FieldFindings[]; list: (Finding & { n: number; label: string })[] } {
  const byField = new Map<string, { start: number; end: number; n: number; kind: string; reason: string }[]>();
  const list = findings.map((f, i) => {
    const { field } = fieldOf(f.field);
    return { ...f, n: i + 1, label: FIELD_LABELS[field] ?? f.field };
  });
  findings.forEach((f, i) => {
    const { field, index } = fieldOf(f.field);
    const source = texts[field];
    if (source === undefined) return;
    const lines = Array.isArray(source) ? source : null;
    const text = lines ? lines.join('\n') : source;
    let base = 0;
    let within = text;
    if (lines && index !== null && index < lines.length) {
      base = lines.slice(0, index).reduce((n, l) => n + l.length + 1, 0);
      within = lines[index];
    }
    let start = f.start;
    let end = f.end;
    const fits = Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end > start && end <= within.length && (!f.text || within.slice(start, end) === f.text);
    if (!fits) {
      const at = f.text ? within.indexOf(f.text) : -1;
      if (at < 0) return;
      start = at;
      end = at + f.text.length;
    }
    const ranges = byField.get(field) ?? [];
    ranges.push({ start: base + start, end: base + end, n: i + 1, kind: f.kind, reason: f.reason });
    byField.set(field, ranges);
  });
  const fields: FieldFindings[] = [];
  for (const [field, ranges] of byField) {
    const source = texts[field];
    const text = Array.isArray(source) ? source.join('\n') : source;
    fields.push({ field, label: FIELD_LABELS[field] ?? field, segments: segment(text, ranges), count: ranges.length });
  }
  return { fields, list };
}

/** Splits text into plain and marked runs; overlapping findings merge into the first. */
export function segment(text: string, ranges: { start: number; end: number; n: number; kind: string; reason: string }[]): Segment[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const out: Segment[] = [];
  let at = 0;
  for (const r of sorted) {
    if (r.start < at) continue;
    if (r.start > at) out.push({ text: text.slice(at, r.start), mark: false });
    out.push({ text: text.slice(r.start, r.end), mark: true, n: r.n, kind: r.kind, reason: r.reason });
    at = r.end;
  }
  if (at < text.length) out.push({ text: text.slice(at), mark: false });
  return out;
}

/** The de-identification findings of one's own draft or notice in review, with any overrides (none for other notices). */
export async function reviewedFindings(
  notices: NoticesService,
  p: Principal,
  notice: NoticeResponse,
): Promise<(Finding & { override: { justification: string; approverId: string; at: string } | null })[]> {
  if (notice.issuingAgencyId !== p.agencyId || (notice.status !== 'draft' && notice.status !== 'in_review')) return [];
  return (await notices.deidFindings(p, notice.id)).findings;
}
