import type { EntityManager } from 'typeorm';
import {
  audit,
  checkReviewRecord,
  deidFindingsOf,
  instrument,
  RecommendationInput,
  ReviewRecordInput,
  insertReviewRecord,
  systemActor,
  IncidentType,
} from '@sne/core';
import { lastQuarters } from '../../api/src/reporting/reporting-facts';

/**
 * A year of fictional, approved critical incident reviews across the demo agencies, so the
 * reporting dashboard shows something on first start: the four quarters ending with the current
 * one, on instrument v1 before July 2026 and v2 after (they combine through the baseline mapping).
 * The numbers are chosen so that most cells pass k = 5, while the tribal agency's two fatality
 * reviews of one quarter are suppressed (with their complements). Every review goes through checkReviewRecord and insertReviewRecord (the one write
 * path) with status 'approved'; then one set-based UPDATE per table gives each its two people (the
 * review lead submits, an approver approves) and its dates. Nothing here names a real person.
 */
export interface DemoReviewAgency {
  id: string;
  name: string;
  jurisdictionType: string;
  /** How many reviews to write, spread evenly over the quarters and incident types… */
  reviews: number;
  /** …or exactly these (quarter index 0–3, type, how many), for an agency with few incidents. */
  plan?: { quarter: number; type: IncidentType; count: number }[];
  leadId: string;
  approverId: string;
}

const TYPES: IncidentType[] = ['serious_injury', 'near_fatality', 'fatality'];
const AGES = ['under_1', 'under_1', '1_3', '4_6', '7_12', '13_17'] as const;
const PRIOR = ['none', 'screened_out', 'investigated', 'in_home_services', 'in_care'] as const;
const RECENCY = ['current', 'within_12_months', 'within_36_months', 'older'] as const;
const CIRCUMSTANCES = { serious_injury: ['physical_abuse', 'vehicle', 'medical'], near_fatality: ['substance_exposure', 'drowning', 'neglect'], fatality: ['unsafe_sleep', 'physical_abuse', 'firearm'] } as const;

/** How likely each item of a domain is rated 2 or 3, before the jurisdiction type's emphasis. */
const DOMAIN_WEIGHT: Record<string, number> = {
  'family-child': 0.2,
  'caseworker-personnel': 0.16,
  supervision: 0.14,
  'teamwork-communication': 0.15,
  'tools-resources': 0.1,
  'policy-practice': 0.09,
  'culture-climate': 0.06,
  'external-environment': 0.11,
};
const EMPHASIS: Record<string, Record<string, number>> = {
  county: { 'caseworker-personnel': 1.6, supervision: 1.3 },
  state: { 'policy-practice': 1.7, 'tools-resources': 1.4 },
  tribal: { 'external-environment': 1.8, 'teamwork-communication': 1.3 },
};

const FINDINGS: Record<string, string> = {
  'family-child': 'The safety plan relied on a caregiver whose own needs were not assessed again after the household changed.',
  'caseworker-personnel': 'Caseloads above the agency standard left little time for unannounced home visits in the weeks before the incident.',
  supervision: 'Case consultation happened, but the supervisor had no protected time to review the safety assessment with the worker.',
  'teamwork-communication': 'Information from the hospital visit reached the assigned worker only after the case transferred between units.',
  'tools-resources': 'The structured assessment did not prompt the worker to ask about sleep arrangements for an infant.',
  'policy-practice': 'Policy on re-screening repeat reports was unclear about when a new report should reopen an assessment.',
  'culture-climate': 'Staff described hesitating to raise concerns about a closure decision made under deadline pressure.',
  'external-environment': 'A waiting list for substance use treatment delayed the service the family had been referred to.',
};
const RECOMMENDATIONS: Record<string, string> = {
  'family-child': 'Add a caregiver reassessment step whenever household membership changes during an open case.',
  'caseworker-personnel': 'Set a caseload ceiling for in-home services workers and report against it monthly.',
  supervision: 'Schedule protected weekly case consultation time for every supervisor and worker pair.',
  'teamwork-communication': 'Use a warm handoff with a shared case summary whenever a case transfers between units.',
  'tools-resources': 'Add safe sleep questions to the structured safety assessment for households with infants.',
  'policy-practice': 'Clarify the re-screening rule for repeat reports and train intake staff on it.',
  'culture-climate': 'Hold regular learning reviews where staff can discuss near misses without blame.',
  'external-environment': 'Agree a priority referral pathway with local treatment providers for families with young children.',
};

/** A fixed pseudo-random sequence: the same demo on every first start. */
function sequence(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

const day = (d: Date) => d.toISOString().slice(0, 10);
const addDays = (d: Date, n: number) => new Date(d.getTime() + n * 86_400_000);

export async function seedDemoReviews(m: EntityManager, agencies: DemoReviewAgency[], now = new Date()): Promise<number> {
  const actor = systemActor('demo-seed');
  const quarters = lastQuarters(now);
  const thisMonth = now.getUTCFullYear() * 12 + now.getUTCMonth();
  // The months of each quarter before the current month (an incident this month is not reviewed yet).
  const months = quarters
    .map((q) => {
      const [y, n] = [Number(q.slice(0, 4)), Number(q.slice(-1))];
      return [0, 1, 2].map((i) => ({ year: y, month: (n - 1) * 3 + i + 1 })).filter((x) => x.year * 12 + x.month - 1 < thisMonth);
    })
    .filter((list) => list.length > 0);
  const checked = new Set<string>();
  const planned: { reviewId: string; leadId: string; approverId: string; submittedAt: Date; approvedAt: Date }[] = [];
  for (const [a, agency] of agencies.entries()) {
    const random = sequence(7919 * (a + 1));
    const slots = agency.plan
      ? agency.plan.flatMap((p) => Array.from({ length: p.count }, (_, n) => ({ q: p.quarter % months.length, round: n, type: p.type })))
      : Array.from({ length: agency.reviews }, (_, i) => ({ q: i % months.length, round: Math.floor(i / months.length), type: TYPES[Math.floor(i / months.length) % TYPES.length] }));
    for (const [i, { q, round, type }] of slots.entries()) {
      const { year, month } = months[q][round % months[q].length];
      const version = year * 100 + month >= 202607 ? '2' : '1';
      const prior = PRIOR[Math.floor(random() * PRIOR.length)];
      const ratings: Record<string, number> = {};
      const contributing = new Set<string>();
      for (const domain of instrument(version)!.domains) {
        const p = DOMAIN_WEIGHT[domain.id] * (EMPHASIS[agency.jurisdictionType]?.[domain.id] ?? 1);
        for (const item of domain.items) {
          const hit = random() < p;
          ratings[item.id] = hit ? (random() < 0.3 ? 3 : 2) : random() < 0.4 ? 1 : 0;
          if (hit) contributing.add(domain.id);
        }
      }
      // The review closes about six weeks after the incident month, never after today.
      const incidentEnd = new Date(Date.UTC(year, month, 0));
      const approvedAt = new Date(Math.min(addDays(incidentEnd, 30 + Math.floor(random() * 30)).getTime(), now.getTime() - 3_600_000));
      const domains = [...contributing].slice(0, 2);
      const recommendations: RecommendationInput[] = domains.map((d) => {
        const r = random();
        const implementedOn = addDays(approvedAt, 20 + Math.floor(random() * 160));
        if (r < 0.55 && implementedOn < now) return { text: RECOMMENDATIONS[d], owner: 'agency', status: 'implemented', implementedOn: day(implementedOn), targetDate: day(addDays(approvedAt, 120)) };
        if (r < 0.6) return { text: RECOMMENDATIONS[d], owner: 'partnership', status: 'not_adopted', statusReason: 'Covered by a statewide initiative already under way.' };
        return { text: RECOMMENDATIONS[d], owner: 'agency', status: r < 0.8 ? 'in_progress' : 'accepted', targetDate: day(addDays(approvedAt, 180)) };
      });
      const input: ReviewRecordInput = {
        incident: {
          incidentType: type,
          incidentYear: year,
          incidentMonth: month,
          ageBand: AGES[Math.floor(random() * AGES.length)],
          priorInvolvement: prior,
          priorRecency: prior === 'none' ? null : RECENCY[Math.floor(random() * RECENCY.length)],
          circumstances: [CIRCUMSTANCES[type][Math.floor(random() * 3)]],
        },
        instrumentVersion: version,
        summary: 'A fictional review written for the demo.',
        ratings,
        findings: domains.map((d) => ({ text: FINDINGS[d], domainId: d })),
        recommendations: recommendations.map((r, n) => ({ ...r, findingPosition: n + 1 })),
      };
      const problems = checkReviewRecord(input, { complete: true, now });
      if (problems.length) throw new Error(`demo review ${agency.name} #${i}: ${JSON.stringify(problems)}`);
      const texts = JSON.stringify([input.findings, input.recommendations]);
      if (!checked.has(texts)) {
        const findings = deidFindingsOf(input);
        if (findings.length) throw new Error(`demo review text flagged: ${JSON.stringify(findings)}`);
        checked.add(texts);
      }
      const saved = await insertReviewRecord(m, agency.id, agency.leadId, input, { status: 'approved', imported: false, leadId: agency.leadId, year: approvedAt.getUTCFullYear() });
      planned.push({ reviewId: saved.reviewId, leadId: agency.leadId, approverId: agency.approverId, submittedAt: addDays(approvedAt, -3), approvedAt });
    }
    await audit(m, actor, { action: 'review_import.completed', entityType: 'review_import', entityId: `demo-${agency.id}`, agencyId: agency.id, after: { reviews: slots.length, status: 'approved', source: 'demo seed' } });
  }
  // Who submitted and approved each review, and when: one statement for all of them.
  await m.query(
    `UPDATE incident_reviews r
        SET submitted_by = u.lead, submitted_at = u.submitted_at, approved_by = u.approver, approved_at = u.approved_at,
            created_at = u.submitted_at - interval '20 days', updated_at = u.approved_at
       FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::timestamptz[], $5::timestamptz[]) AS u(id, lead, approver, submitted_at, approved_at)
      WHERE r.id = u.id`,
    [planned.map((p) => p.reviewId), planned.map((p) => p.leadId), planned.map((p) => p.approverId), planned.map((p) => p.submittedAt), planned.map((p) => p.approvedAt)],
  );
  // Recommendations were made when the review was approved (the time to implement counts from there).
  await m.query(
    `UPDATE review_recommendations rec SET created_at = r.approved_at, status_changed_at = r.approved_at
       FROM incident_reviews r WHERE rec.review_id = r.id AND r.id = ANY($1)`,
    [planned.map((p) => p.reviewId)],
  );
  await m.query(`UPDATE review_versions v SET recorded_at = r.approved_at, recorded_by = r.approved_by FROM incident_reviews r WHERE v.review_id = r.id AND r.id = ANY($1)`, [planned.map((p) => p.reviewId)]);
  return planned.length;
}
