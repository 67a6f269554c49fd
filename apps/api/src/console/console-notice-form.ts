/**
 * The notice editor's form: what was typed, the API's DTO made from it, and the messages beside
 * each field. Pure functions, shared by the editor's routes and the notice page's own forms.
 */
import { JURISDICTION_TYPES } from '@sne/core';
import { NoticeResponse } from '../notices/dto/notice.dto';
import { isoToLocal, linesOf, listOf, localToIso, many, str } from './console-format';
import { FieldErrors } from './console-forms';

export const CATEGORY_HINTS: Record<string, string> = {
  alert: 'Action required: recipients acknowledge, then report each required action',
  advisory: 'Important information that may need action',
  update: 'New information about an earlier notice',
  information: 'For awareness; acknowledgment only',
};

/** The field ids of the editor, for the error summary's links. */
export const FIELD_IDS: Record<string, string> = {
  title: 'title',
  summary: 'summary',
  body: 'body',
  category: 'category-alert',
  severity: 'severity-critical',
  topics: 'topics-0',
  requiredActions: 'requiredActions',
  targetJurisdictions: 'targetCodes',
  acknowledgeBy: 'acknowledgeBy',
  actionsDueBy: 'actionsDueBy',
  effectiveAt: 'effectiveAt',
  expiresAt: 'expiresAt',
  referenceIds: 'references',
  incidentReference: 'incidentReference',
  reasons: 'reasons',
  reason: 'cancel-reason',
  name: 'ack-name',
};

export interface EditorValues {
  title: string;
  summary: string;
  body: string;
  category: string;
  severity: string;
  topics: string[];
  requiredActions: string;
  targetTypes: string[];
  targetCodes: string;
  acknowledgeBy: string;
  actionsDueBy: string;
  effectiveAt: string;
  expiresAt: string;
  referenceIds: string[];
  incidentReference: string;
  material: boolean;
}

export type Mode = 'create' | 'edit' | 'update';

export const MESSAGES: Record<string, string> = {
  title: 'Enter a title of 3 to 200 characters',
  summary: 'Enter a summary of 3 to 1000 characters',
  body: 'Enter the body of the notice (up to 50,000 characters)',
  category: 'Choose a category',
  severity: 'Choose a severity',
  topics: 'Choose at least one topic',
  requiredActions: 'Give at most 20 required actions, one per line, each up to 1000 characters',
  targetJurisdictions: 'Give jurisdiction codes of up to 100 characters each (at most 200)',
  incidentReference: 'The incident reference can be at most 100 characters',
  referenceIds: 'Choose earlier notices from the list',
  material: 'Say whether the update is material',
};

export function blankValues(): EditorValues {
  return {
    title: '',
    summary: '',
    body: '',
    category: '',
    severity: '',
    topics: [],
    requiredActions: '',
    targetTypes: [],
    targetCodes: '',
    acknowledgeBy: '',
    actionsDueBy: '',
    effectiveAt: '',
    expiresAt: '',
    referenceIds: [],
    incidentReference: '',
    material: true,
  };
}

export function valuesOf(n: NoticeResponse, tz: string): EditorValues {
  const types = n.targetJurisdictions.filter((t) => (JURISDICTION_TYPES as readonly string[]).includes(t));
  return {
    title: n.title,
    summary: n.summary,
    body: n.body,
    category: n.category,
    severity: n.severity,
    topics: n.topics,
    requiredActions: n.requiredActions.join('\n'),
    targetTypes: types,
    targetCodes: n.targetJurisdictions.filter((t) => !types.includes(t)).join(', '),
    acknowledgeBy: isoToLocal(n.acknowledgeBy, tz),
    actionsDueBy: isoToLocal(n.actionsDueBy, tz),
    effectiveAt: isoToLocal(n.effectiveAt, tz),
    expiresAt: isoToLocal(n.expiresAt, tz),
    referenceIds: n.referenceIds,
    incidentReference: n.incidentReference ?? '',
    material: n.material,
  };
}

/** What was typed, kept as typed (for showing the form again). */
export function formValues(body: Record<string, unknown>): EditorValues {
  return {
    title: str(body.title),
    summary: str(body.summary),
    body: str(body.body).replace(/\r\n?/g, '\n'),
    category: str(body.category),
    severity: str(body.severity),
    topics: many(body.topics),
    requiredActions: str(body.requiredActions).replace(/\r\n?/g, '\n'),
    targetTypes: many(body.targetTypes),
    targetCodes: str(body.targetCodes),
    acknowledgeBy: str(body.acknowledgeBy),
    actionsDueBy: str(body.actionsDueBy),
    effectiveAt: str(body.effectiveAt),
    expiresAt: str(body.expiresAt),
    referenceIds: many(body.referenceIds),
    incidentReference: str(body.incidentReference),
    material: str(body.material) === 'true',
  };
}

/** The form as the API's DTO; empty optional fields are cleared on edit and left out on create. */
export function toDto(v: EditorValues, tz: string, mode: Mode): { dto: Record<string, unknown>; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const dto: Record<string, unknown> = {
    title: v.title.trim(),
    summary: v.summary.trim(),
    body: v.body,
    topics: v.topics,
    requiredActions: linesOf(v.requiredActions),
    targetJurisdictions: [...v.targetTypes, ...listOf(v.targetCodes)],
    referenceIds: v.referenceIds,
  };
  if (v.category) dto.category = v.category;
  else if (mode === 'create') errors.category = MESSAGES.category;
  if (v.severity) dto.severity = v.severity;
  else if (mode === 'create') errors.severity = MESSAGES.severity;
  for (const f of ['acknowledgeBy', 'actionsDueBy', 'effectiveAt', 'expiresAt'] as const) {
    const iso = localToIso(v[f], tz);
    if (iso === null) errors[f] = 'Enter a date and time, like 2026-03-06 17:00';
    else if (iso !== undefined) dto[f] = iso;
    else if (mode !== 'create') dto[f] = null;
  }
  if (!errors.acknowledgeBy && dto.acknowledgeBy && mode !== 'edit' && String(dto.acknowledgeBy) <= new Date().toISOString()) {
    errors.acknowledgeBy = 'The acknowledgment due time must be in the future';
  }
  if (!errors.expiresAt && dto.expiresAt && dto.effectiveAt && String(dto.expiresAt) <= String(dto.effectiveAt)) {
    errors.expiresAt = 'The expiry must be after the effective time';
  }
  if (v.incidentReference.trim() || mode !== 'create') dto.incidentReference = v.incidentReference.trim();
  if (mode === 'update') dto.material = v.material;
  return { dto, errors };
}

/** The service's 400 messages name the field they are about; put them beside it. */
export function fieldOfMessage(message: string): FieldErrors {
  if (/topic/i.test(message)) return { topics: message };
  if (/referenceIds/i.test(message)) return { referenceIds: 'Choose earlier notices that are published' };
  if (/expiresAt/i.test(message)) return { expiresAt: 'The expiry must be after the effective time' };
  return { form: message };
}


