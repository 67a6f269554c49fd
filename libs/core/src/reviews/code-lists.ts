import CODE_LISTS from './code-lists.json';

/**
 * The coded fields of a critical incident and of a recommendation. The lists are data
 * (code-lists.json, versioned with the repository); these types and checks are derived from it,
 * so the API, the bulk import, the data dictionary and the database constraints agree.
 */
export interface Code {
  code: string;
  label: string;
  definition?: string;
}

export type CodeListName = Exclude<keyof typeof CODE_LISTS, 'version'>;
export const CODE_LIST_VERSION: string = CODE_LISTS.version;

export const INCIDENT_TYPES = ['fatality', 'near_fatality', 'serious_injury'] as const;
export type IncidentType = (typeof INCIDENT_TYPES)[number];
export const AGE_BANDS = ['under_1', '1_3', '4_6', '7_12', '13_17'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];
export const PRIOR_INVOLVEMENT = ['none', 'screened_out', 'investigated', 'in_home_services', 'in_care'] as const;
export type PriorInvolvement = (typeof PRIOR_INVOLVEMENT)[number];
export const PRIOR_RECENCY = ['current', 'within_12_months', 'within_36_months', 'older'] as const;
export type PriorRecency = (typeof PRIOR_RECENCY)[number];
export const CIRCUMSTANCES = ['unsafe_sleep', 'substance_exposure', 'physical_abuse', 'neglect', 'drowning', 'firearm', 'vehicle', 'medical', 'other'] as const;
export type Circumstance = (typeof CIRCUMSTANCES)[number];
export const RECOMMENDATION_OWNERS = ['agency', 'member', 'partnership'] as const;
export type RecommendationOwner = (typeof RECOMMENDATION_OWNERS)[number];
export const RECOMMENDATION_STATUSES = ['proposed', 'accepted', 'in_progress', 'implemented', 'not_adopted'] as const;
export type RecommendationStatus = (typeof RECOMMENDATION_STATUSES)[number];

export function codeList(name: CodeListName): Code[] {
  return CODE_LISTS[name] as Code[];
}

export function codeListNames(): CodeListName[] {
  return Object.keys(CODE_LISTS).filter((k) => k !== 'version') as CodeListName[];
}

export function labelOf(name: CodeListName, code: string): string {
  return codeList(name).find((c) => c.code === code)?.label ?? code;
}
