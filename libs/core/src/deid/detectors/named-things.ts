/**
 * Things that hold a first name, by their structure rather than a list of them (round six): a name
 * in quotes after a determiner or before a product noun ("the 'Oliver' play yard", "'Baby Ben' video
 * monitor"), a named storm ("Hurricane Delia", "Winter Storm Hugo"), a holiday ("Christmas Eve"),
 * and a name before a facility in lower case ("Jefferson Park pool").
 */
import { PRODUCT_NOUNS } from '../lexicon/name-lexicon';
import { ScanContext } from '../text-context';

/** An opening quote before the run, perhaps with a capitalised title inside it ('Baby Ben', 'Aunt Annie's). */
const OPEN_QUOTE_RE = /(?:^|[\s(:])['‘"“](?:\p{Lu}[\p{L}'’.-]*\s){0,2}$/u;
const DETERMINER_RE = /\b(?:the|a|an|our|their|its|this|that|these|those|new|popular|recalled|brand)\s+['‘"“]$/i;
const RECALL_BEFORE_RE = /\b(?:recall(?:s|ed)?|brand|product|model|toy|line\s+of|sold\s+as|marketed\s+as|called)\b[^.;\n]{0,25}['‘"“]$/i;
const STORM_WORDS = new Set(['hurricane', 'storm', 'typhoon', 'cyclone', 'tropical', 'blizzard', 'tornado', 'wildfire']);
const HOLIDAY_WORDS = new Set(['christmas', 'easter', 'halloween', 'thanksgiving', 'valentine', 'hanukkah', 'kwanzaa', 'juneteenth']);
const FACILITY_NOUNS = new Set(['pool', 'pools', 'pavilion', 'playground', 'campground', 'fairgrounds', 'arena', 'gym', 'splash', 'trailhead', 'ballfield', 'rink']);

/** Is the run toks[first..last] (with a title from titleStart) the name of a thing, an event or a place? */
export function namedThing(ctx: ScanContext, first: number, last: number, titleStart = first): boolean {
  const toks = ctx.toks;
  const text = ctx.text;
  const from = toks[titleStart].s;
  // A named storm or a holiday: "Hurricane Delia", "Winter Storm Hugo", "Christmas Eve".
  for (let k = 0; k <= 2 && titleStart - k >= 0; k++) if (STORM_WORDS.has(toks[titleStart - k].lw) && toks[titleStart - k].cap) return true;
  if (HOLIDAY_WORDS.has(toks[titleStart].lw)) return true;
  // A placeholder: "John Doe", "Jane Roe" (however the run was found).
  if (last + 1 < toks.length && toks[last + 1].cap && (toks[last + 1].lw === 'doe' || toks[last + 1].lw === 'roe')) return true;
  // A facility in lower case after the run: "Jefferson Park pool", "the Petrack Park pavilion".
  let nx = last + 1;
  if (nx < toks.length && toks[nx].cap && ctx.gap(nx) === ' ' && /^(?:park|field|lake|beach)$/.test(toks[nx].lw)) nx++;
  const placeHead = nx > last + 1 || (last > first && /^(?:park|field|lake|beach)$/.test(toks[last].lw));
  if (nx < toks.length && !toks[nx].cap && FACILITY_NOUNS.has(toks[nx].lw) && ctx.gap(nx) === ' ' && placeHead) return true;
  // In quotes: a product, a brand or a title of a thing, not a nickname ("goes by 'Peanut'").
  const around = text.slice(Math.max(0, from - 40), from);
  const open = OPEN_QUOTE_RE.exec(around);
  if (!open) return false;
  const before = around.slice(0, open.index + open[0].search(/['‘"“]/) + 1);
  const close = /^[\p{L}'’. -]{0,30}?['’"”](?=\s|[,.;:)]|$)/u.exec(text.slice(toks[last].s, toks[last].s + 40));
  if (!close) return false;
  if (DETERMINER_RE.test(before) || RECALL_BEFORE_RE.test(before)) return true;
  const after = text.slice(toks[last].s + close[0].length, toks[last].s + close[0].length + 40).toLowerCase().split(/[^\p{L}-]+/u).filter(Boolean).slice(0, 3);
  return after.some((w) => PRODUCT_NOUNS.has(w));
}
