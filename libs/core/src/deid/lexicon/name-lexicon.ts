/**
 * What the name detector knows about words: roles that introduce a person, titles, and whether a
 * word is a given name, a surname, a place or an ordinary English word. Given names come from
 * compromise's lexicon (about 3,000) and a hand-made list; a given name that is also a common
 * English word (Hope, Will, Grace, Hunter) needs context before it counts.
 */
import { NlpSwitches } from '../kinds';
import { compromiseNames, isEnglishWord } from './dictionary';
import { STRONG_FIRST_NAMES, WEAK_FIRST_NAMES } from './given-names';
import { PLACE_WORDS } from './words';

export type RoleCat = 'child' | 'family' | 'household' | 'caregiver' | 'professional' | 'age';

export const ROLE_WORDS = new Map<string, RoleCat>();
const addRoles = (cat: RoleCat, list: string): void => {
  for (const w of list.trim().split(/\s+/)) ROLE_WORDS.set(w, cat);
};
addRoles(
  'child',
  `infant infants baby babies newborn child children toddler toddlers boy boys girl girls son sons daughter daughters youth teen
   teenager adolescent minor twin twins decedent victim kid kids preschooler student niece nephew grandchild grandson granddaughter
   stepson stepdaughter sibling siblings brother brothers sister sisters half-sibling half-brother half-sister cousin cousins little
   grader kindergartner freshman sophomore bebe nino nina hijo hija hermano hermana hermanito hermanita nieto nieta sobrino sobrina`,
);
addRoles(
  'family',
  `mother mothers mom mommy mum father fathers dad daddy parent parents stepfather stepmother stepdad stepmom step-father
   step-mother grandmother grandfather grandma grandpa granny nana grandparent grandparents aunt auntie uncle husband wife
   relative relatives godmother godfather fiance fiancee great-grandmother great-grandfather great-aunt great-uncle
   madre padre mama papa abuela abuelo abuelita abuelito tia tio esposo esposa gma gpa memaw mawmaw pawpaw papaw meemaw`,
);
addRoles('household', `boyfriend girlfriend partner paramour roommate neighbor neighbour friend adult pareja novio novia bf gf`);
addRoles('caregiver', `caregiver caregivers caretaker babysitter sitter nanny guardian custodian provider`);
addRoles(
  'professional',
  `caseworker worker investigator nurse officer deputy detective teacher coach driver therapist counselor physician pediatrician
   doctor reporter caller screener trooper paramedic`,
);

export const ROLE_DESC: Record<RoleCat, string> = {
  child: "a child's name",
  family: "a parent's or relative's name",
  household: "a household member's name",
  caregiver: "a caregiver's name",
  professional: 'the name of someone involved in the case',
  age: "a child's name",
};

const AGE_NOUN_RE = /^(?:[a-z]+-)?(?:day|week|month|year)s?-old$/;

export function roleOf(lw: string): RoleCat | undefined {
  const direct = ROLE_WORDS.get(lw);
  if (direct) return direct;
  if (AGE_NOUN_RE.test(lw)) return 'age';
  const dash = lw.lastIndexOf('-');
  return dash > 0 ? ROLE_WORDS.get(lw.slice(dash + 1)) : undefined;
}

export function isAgeNoun(lw: string): boolean {
  return AGE_NOUN_RE.test(lw);
}

/**
 * Titles of people who speak or act in a public role: a name after one of these (or described by
 * one after a comma) is an official, a notice contact or signatory, not a person in the case.
 */
export const PUBLIC_TITLES = new Set(
  `director manager coordinator administrator specialist liaison chief commissioner supervisor lead analyst consultant chair
   chairperson chairman chairwoman secretary superintendent epidemiologist trainer educator counsel governor gov mayor senator
   sen representative rep congressman congresswoman congressmember assemblymember assemblyman assemblywoman delegate councilmember
   councilman councilwoman president vice-president attorney general ag examiner coroner sheriff commander spokesperson
   spokesman spokeswoman ombudsman ombudsperson advocate officer deputy program dean professor prof researcher author
   surgeon-general justice judge hon honorable lieutenant bishop pastor reverend rev rabbi imam cardinal pope chairs co-chair cochair facilitator moderator presenter speaker host
   marshal lic licenciado licenciada coordinadora coordinador directora supervisora jefa jefe gerente portavoz vocera vocero presidenta senadora alcalde alcaldesa gobernador gobernadora comisionado comisionada`
    .trim()
    .split(/\s+/),
);
/** Of those, the ones that also name case professionals ("Deputy Harris found...") only count after a comma. */
export const PUBLIC_TITLES_NOT_BEFORE = new Set(['officer', 'deputy', 'program', 'lead', 'advocate']);

export function isPlaceWord(lw: string, nlp: NlpSwitches): boolean {
  return PLACE_WORDS.has(lw) || (nlp.lexicon && compromiseNames().places.has(lw));
}

/** A given name from either lexicon. */
export function isGivenName(lw: string, nlp: NlpSwitches): boolean {
  return STRONG_FIRST_NAMES.has(lw) || WEAK_FIRST_NAMES.has(lw) || (nlp.lexicon && compromiseNames().given.has(lw));
}

/** A given name that is not also an ordinary word or a place: enough on its own. */
export function isStrongGivenName(lw: string, nlp: NlpSwitches): boolean {
  if (WEAK_FIRST_NAMES.has(lw)) return false;
  if (STRONG_FIRST_NAMES.has(lw)) return true;
  if (!nlp.lexicon) return false;
  return compromiseNames().given.has(lw) && !isEnglishWord(lw) && !isPlaceWord(lw, nlp) && lw.length >= 3;
}

export function isSurname(lw: string, nlp: NlpSwitches): boolean {
  return nlp.lexicon && compromiseNames().surnames.has(lw);
}

/** Brands of children's and household products whose names hold a person's name. */
export const PRODUCT_BRAND_WORDS = new Set(
  `fisher-price graco chicco evenflo boppy gerber similac enfamil tommee tippee einstein britax nuna owlet nanit snoo ikea mamaroo mcdonald
   tikes playskool vtech leapfrog mattel hasbro bumbo ergobaby infantino storkcraft babyletto uppababy nuby
   epipen auvi-q narcan tylenol motrin benadryl advil pedialyte zyrtec claritin orajel desitin`.split(/\s+/),
);

/** Product nouns: a capitalised run right before one of these is a product or brand ("Boppy lounger"). */
/** Works and ideas named after a person: "Dr. Spock's advice", "Erikson's stages", "Kempe's study". */
export const WORK_NOUNS = new Set(
  `advice book books research study studies theory theories method methods approach law laws rule rules syndrome disease guidance
   recommendations model scale program programme stages criteria test protocol technique principle principles curriculum foundation
   fund award prize legacy memorial`.split(/\s+/),
);

/** Professional credentials after a name ("Ana Ruiz, LCSW"): a signature or contact line. */
export const CREDENTIALS = new Set(`md do rn bsn msn np pa lcsw lmsw msw lpc lmft phd psyd edd jd esq mph dnp cpnp faap ma ms bs ba mba mpa lpn lvn cna emt`.split(' '));

export const PRODUCT_NOUNS = new Set(
  `sleeper sleepers bassinet bassinets swing swings rocker rockers bouncer bouncers lounger loungers pillow pillows crib cribs
   seat seats stroller strollers carrier carriers monitor monitors formula bottle bottles pacifier pacifiers toy toys gummies
   tablets capsules pods battery batteries magnets recliner mattress mattresses playard playards play yard yards product products
   brand brands model models recall recalls book books app apps blanket blankets pajamas onesies clothing shirts kits kit sleep sack sacks wrap wraps nest nests dresser dressers tv tvs heater heaters
   server servers channel channels platform platforms website websites forum forums
   teether teethers wipes drops tub tubs chair chairs walker walkers gate gates vehicle vehicles suv suvs doll dolls
   slide slides playset playsets trampoline trampolines highchair highchairs wagon wagons scooter scooters helmet helmets injector injectors`.split(/\s+/),
);
