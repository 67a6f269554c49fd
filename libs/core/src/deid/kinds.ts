/** What the de-identification guard reports: the kinds of identifier and the finding's shape. */

export const DEID_KINDS = [
  'personal_name',
  'date_of_birth',
  'exact_age_date',
  'ssn',
  'phone',
  'email',
  'street_address',
  'case_number',
  'medicaid_id',
  'tribal_enrollment',
  'vehicle_id',
  'social_handle',
  'file_name',
  'geo_coordinates',
  'initials',
  'quasi_identifier',
] as const;

export type DeidKind = (typeof DEID_KINDS)[number];

export interface DeidFinding {
  /** The field the span is in ("body", "requiredActions[0]", ...). */
  field: string;
  /** Offsets into that field's string (UTF-16 code units, end exclusive). */
  start: number;
  end: number;
  text: string;
  kind: DeidKind;
  /** Why the scanner flagged it, for the author. */
  reason: string;
}

export interface DeidNoticeText {
  title: string;
  summary: string;
  body: string;
  requiredActions: string[];
}

export interface DeidScanOptions {
  /**
   * Values published by the issuing agency itself (its notices contact, escalation and fallback
   * contacts: mailboxes, phone numbers, names). They are never findings, nor is a person name
   * spelled in one of those mailboxes ("dana.whitfield@..." makes "Dana Whitfield" public).
   */
  knownPublic?: readonly string[];
  /**
   * Texts already approved under the review guard: the findings and recommendations of the
   * approved critical incident review a notice was drafted from. The text model, trained and
   * measured on notices only, does not read their sentences (it reads the review register's plain
   * systemic findings as a family's story); every rule still does.
   */
  reviewedText?: readonly string[];
  /** Which NLP helpers to use; the defaults are what the evaluation kept (see README). For measuring only. */
  nlp?: Partial<NlpSwitches>;
  /** The token classifier beside the rules; the defaults are what the evaluation kept. For measuring only. */
  tokenModel?: TokenModelOptions;
  /** The whole-text classifier beside them; the defaults are what the evaluation kept. For measuring only. */
  textModel?: TextModelOptions;
}

export interface TextModelOptions {
  enabled?: boolean;
  /** Other weights (as written by `npm run train:deid-model -- --text --out`), for leave-one-set-out runs. */
  weights?: unknown;
  /** Probability from which a field is a finding (default: TEXT_MODEL_THRESHOLD). */
  threshold?: number;
}

export interface TokenModelOptions {
  enabled?: boolean;
  /** Other weights (as written by `npm run train:deid-model -- --out`), for leave-one-set-out runs. */
  weights?: unknown;
  /** Probability of "part of an identifier" from which a run of tokens may become a finding. */
  add?: number;
  /** The same for names (default: the committed setting, or `add` when only that is given). */
  addName?: number;
  /** The same for numbers. */
  addNumber?: number;
  /** Probability of "clean" above which a rule's name (not a labelled one), initials, handle, address, phone or mailbox is dropped (above 1: never). */
  veto?: number;
  addKinds?: DeidKind[];
}

export interface NlpSwitches {
  /** compromise's lexicon of given names, surnames and places, beside the hand-made lists. */
  lexicon: boolean;
  /** compromise's tagger: a span it tags as a person is extra evidence for a name. */
  tagger: boolean;
}

/** When kinds overlap, the higher one is kept (a file name holds a name; an SSN is not a phone). */
export const KIND_PRIORITY: Record<DeidKind, number> = {
  file_name: 12,
  social_handle: 11,
  email: 11,
  geo_coordinates: 11,
  ssn: 10,
  vehicle_id: 9,
  medicaid_id: 9,
  tribal_enrollment: 9,
  case_number: 8,
  date_of_birth: 7,
  quasi_identifier: 7,
  exact_age_date: 6,
  phone: 5,
  street_address: 5,
  initials: 4,
  personal_name: 3,
};
