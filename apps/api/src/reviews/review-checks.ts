import { BadRequestException, UnprocessableEntityException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { checkReviewRecord, DeidFinding, deidFindingsOf, NOT_A_NOTICE, RecordProblem, ReviewRecordInput, scanForIdentifyingData } from '@sne/core';

/** 400 naming each problem by its field, both as the message lines and as `problems`. */
export function recordRefused(problems: RecordProblem[]): BadRequestException {
  return new BadRequestException({ message: problems.map((p) => `${p.field}: ${p.message}`), problems });
}

/** 422 from the de-identification guard: the findings listed, nothing saved. */
export function guardRefused(findings: DeidFinding[]): UnprocessableEntityException {
  return new UnprocessableEntityException({
    statusCode: 422,
    error: 'Unprocessable Entity',
    message: `the text may identify a child or family (${findings.length} finding${findings.length > 1 ? 's' : ''}): remove it and send the record again`,
    findings,
  });
}

/** The agency's own published contacts: never findings (its own mailbox does not block its review). */
export async function knownPublicOf(m: EntityManager, agencyId: string): Promise<string[]> {
  const [a] = await m.query(`SELECT notices_contact_email, escalation_contacts, fallback_contacts FROM agencies WHERE id = $1`, [agencyId]);
  if (!a) return [];
  return [a.notices_contact_email, ...(a.escalation_contacts ?? []), ...(a.fallback_contacts ?? [])].filter((v): v is string => typeof v === 'string' && v.length > 0);
}

/** The rules of the record, then the guard over every free-text field: throws 400 or 422. */
export async function assertRecordFine(m: EntityManager, agencyId: string, input: ReviewRecordInput, complete = false): Promise<void> {
  const problems = checkReviewRecord(input, { complete });
  const owners = [...new Set(input.recommendations.map((r) => r.ownerAgencyId).filter((a): a is string => !!a))];
  if (owners.length) {
    const found: { id: string }[] = await m.query(`SELECT id FROM agencies WHERE id = ANY($1::uuid[])`, [owners]);
    input.recommendations.forEach((r, n) => {
      if (r.ownerAgencyId && !found.some((f) => f.id === r.ownerAgencyId)) problems.push({ field: `recommendations[${n}].ownerAgencyId`, message: 'is not a member agency' });
      else if (r.ownerAgencyId === agencyId) problems.push({ field: `recommendations[${n}].ownerAgencyId`, message: "is your own agency: its owner is 'agency'" });
    });
  }
  if (problems.length) throw recordRefused(problems);
  const findings = deidFindingsOf(input, await knownPublicOf(m, agencyId));
  if (findings.length) throw guardRefused(findings);
}

/** The guard over loose free text (a return reason, a shared summary, a status reason). */
export async function assertTextFine(m: EntityManager, agencyId: string, fields: Record<string, string>): Promise<void> {
  const findings = scanForIdentifyingData(fields, { knownPublic: await knownPublicOf(m, agencyId), ...NOT_A_NOTICE });
  if (findings.length) throw guardRefused(findings);
}
