import { hasRole, Principal } from '../common/principal';
import type { ReviewNoticesService } from '../review-notices/review-notices.service';
import type { ReviewNoticesResponse } from '../review-notices/review-notices.dto';

/** A share as the console shows it: "67%", or a dash when there is nothing to divide by. */
export const percent = (rate: number | null): string => (rate === null ? '–' : `${Math.round(rate * 100)}%`);

/**
 * The model of the partial `console-review-notices` (templates/partials/console-review-notices.hbs):
 * the button that drafts a notice from the review (authors, approved or shared reviews) and the
 * list of the notices issued from it with their figures. The review page includes it with
 * `{{> console-review-notices reviewNotices}}` after setting `reviewNotices` to this.
 */
export async function reviewNoticesPanel(
  service: ReviewNoticesService,
  p: Principal,
  reviewId: string,
  opts: { csrf: string; problem?: string; chosenTopic?: string; figures?: ReviewNoticesResponse },
) {
  const defaults = await service.draftDefaults(p, reviewId);
  const figures = opts.figures ?? (await service.reviewNotices(p, reviewId));
  const catalogue = await service.activeTopics();
  const chosen = opts.chosenTopic || defaults.topics[0] || '';
  const approved = defaults.status === 'approved' || defaults.status === 'shared';
  return {
    reviewId,
    reference: defaults.reference,
    csrf: opts.csrf,
    problem: opts.problem,
    approved,
    canDraft: approved && hasRole(p, 'author'),
    suggested: defaults.topics,
    topics: catalogue.map((t) => ({ ...t, selected: t.key === chosen })),
    items: figures.items.map((n) => ({
      ...n,
      ackRate: percent(n.acknowledgmentRate),
      actionRate: percent(n.actionCompletionRate),
    })),
  };
}
