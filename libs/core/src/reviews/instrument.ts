import V1 from './instruments/review-v1.json';
import V2 from './instruments/review-v2.json';

/**
 * The standardized review instrument: domains of items rated 0–3 with an anchored definition per
 * point. The instrument is data (instruments/review-v*.json); a review pins the version it used.
 * A later version maps each of its items to the item of the first version it continues (`mapsTo`),
 * so figures across versions are reported on the first version's items (the baseline) and trends
 * stay comparable. To publish a new version, add its file here; instrument.spec.ts checks it.
 */
export interface ScalePoint {
  value: number;
  label: string;
  definition: string;
}
export interface InstrumentItem {
  id: string;
  text: string;
  /** The baseline (version 1) item this item continues; absent in version 1 (it is its own). */
  mapsTo?: string;
}
export interface InstrumentDomain {
  id: string;
  title: string;
  description: string;
  items: InstrumentItem[];
}
export interface Instrument {
  id: string;
  version: string;
  title: string;
  publishedOn: string;
  changes?: string;
  scale: ScalePoint[];
  domains: InstrumentDomain[];
}

const INSTRUMENTS: Instrument[] = [V1 as Instrument, V2 as Instrument];

/** Ratings at or above this count as "contributed" in every aggregate. */
export const CONTRIBUTED = 2;
export const RATING_MIN = 0;
export const RATING_MAX = 3;

export function instrumentVersions(): string[] {
  return INSTRUMENTS.map((i) => i.version);
}

/** The version new reviews use. */
export function currentInstrument(): Instrument {
  return INSTRUMENTS[INSTRUMENTS.length - 1];
}

export function instrument(version: string): Instrument | undefined {
  return INSTRUMENTS.find((i) => i.version === version);
}

/** The baseline instrument, whose items every version maps to. */
export function baselineInstrument(): Instrument {
  return INSTRUMENTS[0];
}

/** item id → its domain, for one version. */
export function itemsOf(version: string): Map<string, { item: InstrumentItem; domain: InstrumentDomain }> {
  const out = new Map<string, { item: InstrumentItem; domain: InstrumentDomain }>();
  for (const domain of instrument(version)?.domains ?? []) for (const item of domain.items) out.set(item.id, { item, domain });
  return out;
}

/** The baseline item an item of `version` continues (for trends across versions). */
export function baselineItem(version: string, itemId: string): string | undefined {
  const found = itemsOf(version).get(itemId);
  return found ? (found.item.mapsTo ?? found.item.id) : undefined;
}

/** The baseline domain of an item of `version`. */
export function baselineDomain(version: string, itemId: string): string | undefined {
  const base = baselineItem(version, itemId);
  return base ? itemsOf(baselineInstrument().version).get(base)?.domain.id : undefined;
}

/**
 * Checks a set of ratings against a version: every key an item of that version, every value an
 * integer 0–3. Returns the problems in plain words (empty when fine). Unrated items are allowed in
 * a draft; `complete` demands every item (submission).
 */
export function ratingProblems(version: string, ratings: Record<string, unknown>, complete = false): string[] {
  const items = itemsOf(version);
  if (!items.size) return [`unknown instrument version "${version}" (known: ${instrumentVersions().join(', ')})`];
  const problems: string[] = [];
  for (const [id, value] of Object.entries(ratings)) {
    if (!items.has(id)) problems.push(`"${id}" is not an item of instrument version ${version}`);
    else if (typeof value !== 'number' || !Number.isInteger(value) || value < RATING_MIN || value > RATING_MAX) problems.push(`${id}: a rating is a whole number from ${RATING_MIN} to ${RATING_MAX}`);
  }
  if (complete) for (const id of items.keys()) if (!(id in ratings)) problems.push(`${id} is not rated`);
  return problems;
}
