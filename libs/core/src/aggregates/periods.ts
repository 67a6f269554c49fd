/**
 * Figures over a period the caller chooses, built from figures that are fixed per base period
 * (a quarter), so that no combination of periods gives back a suppressed figure.
 *
 * Why. Suppressing each requested period on its own protects a cell within that request only:
 * "2023-Q4..2024-Q2" minus "2023-Q4..2024-Q1" is 2024-Q2, so two allowed margins give back a
 * suppressed count of 2024-Q2 (and a linear program over every window pins down more).
 *
 * The rule. Each base period's figures are ONE system suppressed in ONE call (suppression.ts),
 * from that period's data alone, so they are the same in every request. A figure over several
 * base periods is the sum of the same figure in each of them, and it is published only when every
 * one of those parts is published; otherwise it is suppressed.
 *
 * Why that is sound, whatever periods are asked for and however many times: every published
 * number is then a sum of published base figures, so everything ever published is a function of
 * the base periods' published figures alone, which are exactly what one-period requests show.
 * Base periods share no unit (an incident is in one quarter), so no equation links them, and the
 * engine's second table for a suppressed cell of one period (same published values, every
 * equation kept, that cell different) is a second table of the whole set: every other period
 * unchanged. No request, and no set of requests, can give more than that.
 *
 * The cost: a figure over several periods is suppressed when any period's part is, even where the
 * pooled figure would pass k on its own (pooling it would reopen the subtraction above).
 */

/**
 * Each id's value over the period: the sum of that id's published value in every base period that
 * has the id (a base period without it has no part in it: e.g. another quarter's cell), or null
 * when any of those parts is suppressed. An id that no base period has is a programming error.
 */
export function composePeriods(ids: Iterable<string>, bases: ReadonlyArray<ReadonlyMap<string, number | null>>): Map<string, number | null> {
  const out = new Map<string, number | null>();
  for (const id of ids) {
    const parts = bases.filter((b) => b.has(id)).map((b) => b.get(id)!);
    if (parts.length === 0) throw new Error(`periods: no base period has ${id}`);
    out.set(id, parts.some((p) => p === null) ? null : parts.reduce((s, p) => s + p!, 0));
  }
  return out;
}
