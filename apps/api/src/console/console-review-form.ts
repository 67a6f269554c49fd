import { codeList, currentInstrument, DeidFinding, instrument, RecordProblem, ReviewRecordInput } from '@sne/core';
import { many, str } from './console-format';
import { FieldErrors } from './console-forms';

/**
 * The review form's pure parts: the posted fields as a review record (and back), the problems of
 * `checkReviewRecord` placed beside the fields they name, and what the template shows (code lists
 * as options, the instrument's items grouped by domain with the anchored 0–3 scale).
 */
export const EXTRA_ROWS = 2;

export interface ReviewFormValues {
  incidentType: string;
  incidentYear: string;
  incidentMonth: string;
  ageBand: string;
  priorInvolvement: string;
  priorRecency: string;
  circumstances: string[];
  incidentSummary: string;
  summary: string;
  leadId: string;
  instrumentVersion: string;
  ratings: Record<string, string>;
  findings: { text: string; domainId: string }[];
  recommendations: { text: string; owner: string; ownerAgencyId: string; targetDate: string; findingPosition: string }[];
}

const LIMITS: [string, number][] = [
  ['summary', 50000],
  ['incidentSummary', 20000],
];

/** The posted form as values (kept to show again) and as the record the API's check reads. */
export function parseReviewForm(body: Record<string, unknown>, fixedVersion?: string): { values: ReviewFormValues; input: ReviewRecordInput; tooLong: RecordProblem[] } {
  const version = fixedVersion ?? (str(body.instrumentVersion) || currentInstrument().version);
  const items = (instrument(version)?.domains ?? []).flatMap((d) => d.items.map((i) => i.id));
  const rows = (prefix: string) => {
    const out: number[] = [];
    for (const key of Object.keys(body)) {
      const m = new RegExp(`^${prefix}_(\\d{1,3})$`).exec(key);
      if (m) out.push(Number(m[1]));
    }
    return [...new Set(out)].sort((a, b) => a - b);
  };
  const values: ReviewFormValues = {
    incidentType: str(body.incidentType),
    incidentYear: str(body.incidentYear).trim(),
    incidentMonth: str(body.incidentMonth),
    ageBand: str(body.ageBand),
    priorInvolvement: str(body.priorInvolvement),
    priorRecency: str(body.priorRecency),
    circumstances: many(body.circumstances),
    incidentSummary: str(body.incidentSummary),
    summary: str(body.summary),
    leadId: str(body.leadId),
    instrumentVersion: version,
    ratings: Object.fromEntries(items.map((id) => [id, str(body[`rating_${id}`])]).filter(([, v]) => v !== '')),
    findings: rows('finding_text')
      .map((n) => ({ text: str(body[`finding_text_${n}`]), domainId: str(body[`finding_domain_${n}`]) }))
      .filter((f) => f.text.trim() !== ''),
    recommendations: rows('rec_text')
      .map((n) => ({
        text: str(body[`rec_text_${n}`]),
        owner: str(body[`rec_owner_${n}`]),
        ownerAgencyId: str(body[`rec_agency_${n}`]),
        targetDate: str(body[`rec_target_${n}`]).trim(),
        findingPosition: str(body[`rec_finding_${n}`]),
      }))
      .filter((r) => r.text.trim() !== ''),
  };
  const tooLong: RecordProblem[] = [];
  for (const [key, max] of LIMITS) if ((values as unknown as Record<string, string>)[key].length > max) tooLong.push({ field: key === 'summary' ? 'summary' : 'incident.summary', message: `can be at most ${max} characters` });
  values.findings.forEach((f, n) => f.text.length > 5000 && tooLong.push({ field: `findings[${n}].text`, message: 'can be at most 5000 characters' }));
  values.recommendations.forEach((r, n) => r.text.length > 5000 && tooLong.push({ field: `recommendations[${n}].text`, message: 'can be at most 5000 characters' }));
  const int = (v: string) => (/^\d{1,4}$/.test(v) ? Number(v) : Number.NaN);
  const input: ReviewRecordInput = {
    incident: {
      incidentType: values.incidentType as ReviewRecordInput['incident']['incidentType'],
      incidentYear: int(values.incidentYear),
      incidentMonth: int(values.incidentMonth),
      ageBand: values.ageBand as ReviewRecordInput['incident']['ageBand'],
      priorInvolvement: values.priorInvolvement as ReviewRecordInput['incident']['priorInvolvement'],
      priorRecency: (values.priorRecency || null) as ReviewRecordInput['incident']['priorRecency'],
      circumstances: values.circumstances as ReviewRecordInput['incident']['circumstances'],
      summary: values.incidentSummary,
    },
    instrumentVersion: version,
    summary: values.summary,
    ratings: Object.fromEntries(Object.entries(values.ratings).map(([id, v]) => [id, /^[0-3]$/.test(v) ? Number(v) : Number.NaN])),
    findings: values.findings.map((f) => ({ text: f.text, domainId: f.domainId || null })),
    recommendations: values.recommendations.map((r) => ({
      text: r.text,
      owner: r.owner as ReviewRecordInput['recommendations'][number]['owner'],
      ownerAgencyId: r.owner === 'member' ? r.ownerAgencyId || null : null,
      targetDate: r.targetDate || null,
      findingPosition: r.findingPosition ? Number(r.findingPosition) : null,
    })),
  };
  return { values, input, tooLong };
}

/** A review's current record as the form's values (to edit it). */
export function valuesOf(input: ReviewRecordInput, leadId: string | null): ReviewFormValues {
  const i = input.incident;
  return {
    incidentType: i.incidentType,
    incidentYear: String(i.incidentYear),
    incidentMonth: String(i.incidentMonth),
    ageBand: i.ageBand,
    priorInvolvement: i.priorInvolvement,
    priorRecency: i.priorRecency ?? '',
    circumstances: [...i.circumstances],
    incidentSummary: i.summary ?? '',
    summary: input.summary ?? '',
    leadId: leadId ?? '',
    instrumentVersion: input.instrumentVersion ?? currentInstrument().version,
    ratings: Object.fromEntries(Object.entries(input.ratings).map(([k, v]) => [k, String(v)])),
    findings: input.findings.map((f) => ({ text: f.text, domainId: f.domainId ?? '' })),
    recommendations: input.recommendations.map((r) => ({
      text: r.text,
      owner: r.owner,
      ownerAgencyId: r.ownerAgencyId ?? '',
      targetDate: r.targetDate ?? '',
      findingPosition: r.findingPosition ? String(r.findingPosition) : '',
    })),
  };
}

export const emptyValues = (): ReviewFormValues => ({
  incidentType: '',
  incidentYear: String(new Date().getUTCFullYear()),
  incidentMonth: '',
  ageBand: '',
  priorInvolvement: '',
  priorRecency: '',
  circumstances: [],
  incidentSummary: '',
  summary: '',
  leadId: '',
  instrumentVersion: currentInstrument().version,
  ratings: {},
  findings: [],
  recommendations: [],
});

/** The element a problem belongs beside: "incident.ageBand" → "ageBand", "findings[0].text" → "finding-text-0", "x is not rated" → that item. */
export function errorsOf(problems: RecordProblem[]): FieldErrors {
  const errors: FieldErrors = {};
  const put = (id: string, message: string) => (errors[id] = errors[id] ? `${errors[id]}; ${message}` : message);
  for (const { field, message } of problems) {
    let m: RegExpExecArray | null;
    if (field.startsWith('incident.')) put(field === 'incident.summary' ? 'incidentSummary' : field.slice('incident.'.length), message);
    else if (field === 'ratings') {
      const item = /^"?([\w.-]+)"?(?::| is not rated)/.exec(message)?.[1];
      put(item ? `rating-${item}` : 'ratings', item ? (message.endsWith('is not rated') ? 'Choose a rating for this item' : message) : message);
    } else if ((m = /^findings\[(\d+)\]\.(\w+)$/.exec(field))) put(`finding-${m[2] === 'domainId' ? 'domain' : 'text'}-${m[1]}`, message);
    else if ((m = /^recommendations\[(\d+)\]\.(\w+)$/.exec(field))) {
      const part = ({ text: 'text', owner: 'owner', ownerAgencyId: 'agency', targetDate: 'target', findingPosition: 'finding' } as Record<string, string>)[m[2]] ?? 'text';
      put(`rec-${part}-${m[1]}`, message);
    } else put(field, message);
  }
  return Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, sentence(v)]));
}

const sentence = (s: string) => {
  const t = s.charAt(0).toUpperCase() + s.slice(1);
  return /[.!?]$/.test(t) ? t : `${t}.`;
};

const options = (name: Parameters<typeof codeList>[0], selected: string | string[]) =>
  codeList(name).map((c) => ({ ...c, selected: Array.isArray(selected) ? selected.includes(c.code) : c.code === selected }));

/** What the form template shows for these values and errors. */
export function formView(values: ReviewFormValues, errors: FieldErrors, extra: { leads: { id: string; name: string }[]; agencies: { id: string; name: string }[] }) {
  const ins = instrument(values.instrumentVersion) ?? currentInstrument();
  const domains = ins.domains.map((d) => ({
    ...d,
    items: d.items.map((item) => ({
      ...item,
      key: `rating-${item.id}`,
      error: errors[`rating-${item.id}`],
      points: ins.scale.map((s) => ({ ...s, checked: values.ratings[item.id] === String(s.value), inputId: `rating-${item.id}-${s.value}` })),
    })),
  }));
  const findingRows = [...values.findings, ...Array.from({ length: EXTRA_ROWS }, () => ({ text: '', domainId: '' }))].map((f, n) => ({
    ...f,
    n,
    number: n + 1,
    error: errors[`finding-text-${n}`],
    domainError: errors[`finding-domain-${n}`],
    domains: ins.domains.map((d) => ({ id: d.id, title: d.title, selected: d.id === f.domainId })),
  }));
  const recRows = [...values.recommendations, ...Array.from({ length: EXTRA_ROWS }, () => ({ text: '', owner: 'agency', ownerAgencyId: '', targetDate: '', findingPosition: '' }))].map((r, n) => ({
    ...r,
    n,
    number: n + 1,
    errors: { text: errors[`rec-text-${n}`], owner: errors[`rec-owner-${n}`], agency: errors[`rec-agency-${n}`], target: errors[`rec-target-${n}`], finding: errors[`rec-finding-${n}`] },
    owners: options('recommendationOwner', r.owner),
    agencies: extra.agencies.map((a) => ({ ...a, selected: a.id === r.ownerAgencyId })),
    findings: values.findings.map((_, i) => ({ n: i + 1, selected: String(i + 1) === r.findingPosition })),
  }));
  return {
    values,
    errors,
    instrument: { version: ins.version, title: ins.title, scale: ins.scale },
    domains,
    findingRows,
    recRows,
    incidentTypes: options('incidentType', values.incidentType),
    ageBands: options('ageBand', values.ageBand),
    priorInvolvements: options('priorInvolvement', values.priorInvolvement),
    priorRecencies: options('priorRecency', values.priorRecency),
    circumstances: options('circumstance', values.circumstances).map((c) => ({ ...c, inputId: `circumstance-${c.code}` })),
    months: Array.from({ length: 12 }, (_, i) => ({ n: i + 1, name: new Date(Date.UTC(2000, i, 1)).toLocaleString('en-US', { month: 'long', timeZone: 'UTC' }), selected: String(i + 1) === values.incidentMonth })),
    leads: extra.leads.map((l) => ({ ...l, selected: l.id === values.leadId })),
  };
}

/** The guard's findings for the page: the field in words, the text and why. */
export function guardFindings(findings: DeidFinding[]) {
  const label = (field: string) => {
    let m: RegExpExecArray | null;
    if (field === 'incident.summary') return 'Incident summary';
    if (field === 'summary') return 'Review summary';
    if ((m = /^findings\[(\d+)\]/.exec(field))) return `Finding ${Number(m[1]) + 1}`;
    if ((m = /^recommendations\[(\d+)\]/.exec(field))) return `Recommendation ${Number(m[1]) + 1}`;
    if (field === 'sharedSummary') return 'Shared summary';
    if (field === 'reason') return 'Reason';
    return field;
  };
  return findings.map((f) => ({ ...f, label: label(f.field) }));
}
