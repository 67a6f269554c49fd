/**
 * Which groups may show a domain's figures. Counting responses (count-suppression.ts) is not
 * enough: a domain's figures are built from the people who answered ITS items, and a hidden team
 * of 5 where only 1 answered a domain would give that one person's answers back as "agency minus
 * the shown teams". So the test is made per domain on what each figure is built from.
 *
 * Percent positive is a mean of per-item shares, so together with the domain's positives and
 * answers it can pin an item's answers: the unit of the test is therefore each ITEM's answerers.
 * For a domain, a group "passes" when every item of the domain was answered by 0 or at least k of
 * its responses.
 *
 * D1. A team shows the domain only if its count is shown and it passes (else hidden for the domain).
 * D2. The agency shows the domain only if it passes. Then no team needs hiding for its sake: the
 *     agency has no figure to subtract from.
 * D3. When the agency shows it, the hidden teams together (the remainder: agency minus every team
 *     shown for the domain) must pass too; while one of its items has 1..k−1 answerers, the team
 *     with the fewest respondents to the domain among those answering such an item is hidden too.
 *     This ends: at worst every team answering the item is hidden and the remainder's count for
 *     it is the agency's, which passes (D2).
 * D4. (rule 4 of results.ts) When any team is hidden for the domain and the remainder's answers
 *     are unanimous (no positive answer, or only positive ones, or none), the agency's figure is
 *     withheld: each hidden team's numerator would follow.
 *
 * SOUNDNESS. Every figure shown for a domain is a sum over items of per-item counts (answers,
 * positives, scored values; percent positive is a function of the per-item counts). The only
 * equation between groups is agency = Σ teams. For each item, every shown group and the remainder
 * have 0 or ≥ k answerers; any combination of shown figures (agency minus some shown teams) is the
 * remainder plus shown teams, so it too is 0 or ≥ k answerers per item. No shown figure, nor any
 * difference of shown figures, is built from fewer than k people's answers to an item.
 */
import { CultureInstrument } from './culture-instrument';
import { CountSuppression } from './count-suppression';
import { GroupScore, itemAnswerCounts, SurveyResponseInput } from './scoring';

export interface DomainSuppression {
  domainId: string;
  /** Teams that show no figure for this domain: the count-hidden ones and those hidden here. */
  hiddenTeams: Set<string>;
  agencyWithheld: boolean;
}

/** 0 or at least k answerers to every item. */
export const passes = (itemCounts: number[], k: number): boolean => itemCounts.every((n) => n === 0 || n >= k);

const sum = (rows: number[][], width: number): number[] => rows.reduce((acc, r) => acc.map((v, i) => v + r[i]), new Array<number>(width).fill(0));

export function suppressDomains(
  instrument: CultureInstrument,
  teamIds: string[],
  byTeam: Map<string, SurveyResponseInput[]>,
  rawTeams: Map<string, GroupScore>,
  counts: CountSuppression,
  k: number,
): DomainSuppression[] {
  return instrument.domains.map((domain, d) => {
    if (counts.agencyHidden) return { domainId: domain.id, hiddenTeams: new Set(teamIds), agencyWithheld: true };
    const items = new Map(teamIds.map((id) => [id, itemAnswerCounts(domain, byTeam.get(id)!)]));
    const width = domain.items.length;
    // D1
    const hidden = new Set(teamIds.filter((id) => counts.hidden.has(id) || !passes(items.get(id)!, k)));
    // D2
    if (!passes(sum([...items.values()], width), k)) return { domainId: domain.id, hiddenTeams: hidden, agencyWithheld: true };
    // D3
    const respondents = (id: string) => rawTeams.get(id)!.domains[d].respondents;
    for (;;) {
      const remainder = sum([...hidden].map((id) => items.get(id)!), width);
      const short = domain.items.map((_, i) => i).filter((i) => remainder[i] > 0 && remainder[i] < k);
      if (!short.length) break;
      const next = teamIds
        .filter((id) => !hidden.has(id) && short.some((i) => items.get(id)![i] > 0))
        .sort((a, b) => respondents(a) - respondents(b) || (a < b ? -1 : 1))[0];
      hidden.add(next); // exists: the agency passes, so someone shown answered each short item
    }
    // D4
    let positives = 0;
    let answers = 0;
    for (const id of hidden) {
      positives += rawTeams.get(id)!.domains[d].positives;
      answers += rawTeams.get(id)!.domains[d].answers;
    }
    const unanimous = hidden.size > 0 && (positives === 0 || positives === answers);
    return { domainId: domain.id, hiddenTeams: hidden, agencyWithheld: unanimous };
  });
}
