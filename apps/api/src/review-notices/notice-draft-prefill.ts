import type { Category, Severity } from '@sne/core';
import type { CreateNoticeDto } from '../notices/dto/notice.dto';

/**
 * "Draft a safety notice from this review": what the draft says, built from the approved review
 * alone (pure, so its spec pins the wording). The findings are quoted in the review's own words;
 * each recommendation becomes one required action, word for word, and the link between the two is
 * kept (review_notice_actions) so the partnership can follow the recommendation through.
 */
export interface ReviewForDraft {
  reference: string;
  agencyName: string;
  findings: { position: number; text: string; domainTitle: string | null }[];
  /** In position order; not adopted ones are left out by the caller. */
  recommendations: { id: string; position: number; text: string }[];
}

export interface DraftChoices {
  topics: string[];
  severity?: Severity;
}

export interface PrefilledDraft {
  dto: CreateNoticeDto;
  /** Action index → the recommendation it came from. */
  links: { actionIndex: number; recommendationId: string; text: string }[];
}

/** The notice rules a draft must meet (CreateNoticeDto); a review that breaks them is refused with the reason. */
export const LIMITS = { title: 200, summary: 1000, body: 50000, actions: 20, action: 1000 } as const;

/** The first sentence of a text (or its first line), for the title and summary. */
export function firstSentence(text: string): string {
  const line = text.trim().split(/\n/)[0].trim();
  const m = /^(.+?[.!?])(\s|$)/.exec(line);
  return (m ? m[1] : line).trim();
}

/** Cut at a word boundary with an ellipsis, so a proposed title never ends mid-word. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** A numbered Markdown list item whose continuation lines stay inside the item. */
const item = (n: number, text: string) => `${n}. ${text.trim().replace(/\r?\n/g, '\n   ')}`;

export function draftFromReview(review: ReviewForDraft, choices: DraftChoices): PrefilledDraft {
  const { reference, findings, recommendations } = review;
  const lead = findings.length ? firstSentence(findings[0].text) : '';
  const title = lead.length >= 3 ? clip(lead, LIMITS.title) : `Lessons from critical incident review ${reference}`;
  const count = `${findings.length} systemic finding${findings.length === 1 ? '' : 's'}`;
  const summary = clip(
    findings.length
      ? `Critical incident review ${reference} found ${count}: ${findings.map((f) => firstSentence(f.text)).join(' ')}`
      : `Critical incident review ${reference}: what other agencies can learn from it.`,
    LIMITS.summary,
  );
  const body = [
    `This notice comes from critical incident review ${reference} by ${review.agencyName}. ` +
      'The review is systems-focused: it asks what in the system made the outcome more likely, never who is to blame.',
    '## Systemic findings',
    findings.length
      ? findings.map((f, i) => item(i + 1, f.domainTitle ? `${f.text.trim()} *(${f.domainTitle})*` : f.text)).join('\n')
      : 'The review recorded no systemic finding.',
    '## What to do',
    recommendations.length
      ? 'Each recommendation of the review is a required action of this notice. Report each one as done when your agency has acted on it, or as not applicable with the reason.\n\n' +
        recommendations.map((r, i) => item(i + 1, r.text)).join('\n')
      : 'Read these findings with your review and practice teams, and check whether the same conditions exist in your agency.',
  ].join('\n\n');
  const category: Category = recommendations.length ? 'alert' : 'advisory';
  return {
    dto: {
      title,
      summary,
      body,
      category,
      severity: choices.severity ?? 'high',
      topics: choices.topics,
      requiredActions: recommendations.map((r) => r.text.trim()),
      incidentReference: reference,
    },
    links: recommendations.map((r, i) => ({ actionIndex: i, recommendationId: r.id, text: r.text.trim() })),
  };
}

/** Why this review cannot become a notice as it stands (empty when it can). */
export function draftProblems(review: ReviewForDraft, draft: PrefilledDraft): string[] {
  const out: string[] = [];
  if (review.recommendations.length > LIMITS.actions) {
    out.push(`a notice carries at most ${LIMITS.actions} required actions; choose up to ${LIMITS.actions} of the review's ${review.recommendations.length} recommendations (recommendationIds)`);
  }
  for (const r of review.recommendations) {
    if (r.text.trim().length > LIMITS.action) out.push(`recommendation ${r.position} is longer than ${LIMITS.action} characters, the most a required action may have`);
  }
  if (draft.dto.body.length > LIMITS.body) out.push(`the findings and recommendations make a body longer than ${LIMITS.body} characters`);
  return out;
}

/**
 * Topics of the catalogue that fit the incident's circumstance codes: a topic whose key is, or
 * starts with, one of the circumstance's key prefixes. The author can change them in the draft.
 */
const CIRCUMSTANCE_TOPICS: Record<string, string[]> = {
  unsafe_sleep: ['safe-sleep'],
  substance_exposure: ['substance-exposure'],
  physical_abuse: ['physical-abuse', 'medical.abusive-head-trauma'],
  neglect: ['neglect'],
  drowning: ['drowning', 'water-safety'],
  firearm: ['firearm', 'firearm-safety'],
  vehicle: ['vehicle', 'vehicle-safety'],
  medical: ['medical'],
  other: [],
};

export function suggestedTopics(circumstances: string[], catalogue: string[], max = 5): string[] {
  const prefixes = circumstances.flatMap((c) => CIRCUMSTANCE_TOPICS[c] ?? []);
  return catalogue.filter((key) => prefixes.some((p) => key === p || key.startsWith(`${p}.`))).slice(0, max);
}
