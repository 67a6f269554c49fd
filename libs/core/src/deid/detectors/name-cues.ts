/** The words and patterns of context the name rules read around a capitalised run (personal-name.detector.ts). */
import { RoleCat } from '../lexicon/name-lexicon';
export const NAMING_WORDS = new Set(['named', 'called', 'nicknamed', 'aka', 'llamado', 'llamada']);
export const ABBREVIATED_TITLES = new Set(['mr', 'mrs', 'ms', 'mx', 'dr', 'sgt', 'det', 'sr', 'sra']);
/** Roles of people in a case ("Hunter's great-aunt"), not professionals or ages. */
export const CASE_ROLES: ReadonlySet<RoleCat> = new Set(['child', 'family', 'household', 'caregiver']);
export const POSS_ADJ = new Set(`older younger little baby big maternal paternal biological birth foster step twin infant newborn teenage adult eldest oldest youngest`.split(' '));
export const POSS_REL = new Set(
  `mother father mom dad parents parent stepfather stepmother stepdad stepmom grandmother grandfather grandma grandpa grandparents aunt
   uncle cousin brother sister sibling siblings boyfriend girlfriend babysitter caregiver nanny twin son daughter baby infant crib bed
   bassinet death injuries injury body bedroom room home house school daycare teacher case file record placement messages phone cell
   account medicaid records caseworker worker father's mother's family household children kids ssn dob birth email address number
   social tribal enrollment backpack car truck van apartment trailer hands head arms legs diaper medication
   medications pills gun firearm pistol fall drowning ingestion overdose burns fracture fractures bruises bruising removal disclosure hospitalization friends friend dog classmates class coach pediatrician doctor nurse therapist counselor
   grandparents' half-brother half-sister stepbrother stepsister older younger little foster kinship biological birth adoptive
   father-in-law mother-in-law godmother godfather fiance fiancee partner ex-boyfriend ex-girlfriend ex-husband ex-wife husband wife
   nursery death autopsy funeral obituary vigil bruises bruise bruising burns burn fracture fractures arm leg face eye eyes back
   bottom toys clothes shoes bike room weight teeth hair teacher's visits visit`.trim().split(/\s+/),
);
/** Identifier words after a possessive name ("Aaliyah's Michigan Medicaid number"). */
export const ID_NOUNS = new Set(`medicaid ssn dob id cdib medi-cal masshealth tenncare soonercare ahcccs`.split(' '));
export const FAMILY_NOUNS = new Set(
  `family familys household home residence children kids twins boys girls siblings brothers sisters case cases referral referrals investigation investigations matter removal removals petition`.split(' '),
);
/** Verbs (and "with") whose object is a person: "found Nakai", "left the baby with Kiona". */
export const PERSON_OBJECT_VERBS = new Set(
  `with found told left called asked fed held carried hit shook bathed watched babysat grabbed hugged slapped kicked dropped picked woke
   warned texted messaged visited met married dated raised adopted saw observed interviewed transported drove brought took checked
   examined photographed removed placed bathed dressed spanked whipped punished locked`.split(/\s+/),
);
/** Verbs whose subject is a person: "Summer had been enrolled", "Kaysen crawled", "Marisol told the nurse". */
export const PERSON_VERB_RE =
  /^\s(?:(?:had|has)\s(?:been\s)?|was\s|is\s|were\s)?(?:found|left|placed|removed|born|pronounced|enrolled|sleeping|asleep|napping|alone|unresponsive|hospitalized|admitted|discharged|released|adopted|crawled|toddled|wandered|climbed|drowned|died|cried|woke|slept|swallowed|ingested|choked|fell|disclosed|told|stated|reported|denied|admitted|texted|messaged|posted|lived|lives|stayed|moved|ran|walked|played|attended|screamed|says|said|asked|bitten|burned|bruised|taken|seen|hid|refused|shares?|sleeps|goes|went|staying|stays|needs|wants|is\safraid|was\safraid|is\sscared|was\sscared|missed|cries|wets|hits|plays)\b/;
/** After a list of names: their ages ("4 and 6", "ages 3, 5 and 9") or a plural verb of people. */
export const AGE_LIST_RE = /^(?:,?\s(?:ages?\s|aged\s)?\d{1,2}(?:\s?(?:,|and|&|y)\s?\d{1,2})+|\s\((?:ages?\s)?\d{1,2}(?:\s?(?:,|and|&|y)\s?\d{1,2})+\))/;
export const LIST_TAIL_RE = /^(?:,?\s(?:ages?\s|aged\s)?\d{1,2}(?:\s?(?:,|and|&|y)\s?\d{1,2})+|\s\((?:ages?\s)?\d{1,2}(?:\s?(?:,|and|&|y)\s?\d{1,2})+\)|\s(?:were|are|have|had|share|shared|both)\b)/;
/** A sentence about a person of the case (for two capitalised words that no lexicon knows). */
export const PERSON_CUE_RE =
  /\b(?:he|she|his|her|him|they|their|mother|father|mom|dad|parents?|child|baby|infant|toddler|son|daughter|aunt|uncle|grandmother|grandfather|grandma|grandpa|boyfriend|girlfriend|caregiver|family|visits?|missed|custody|placed|born|aged?|years?\s+old|foster|madre|padre|ni[ñn][oa]|hij[oa])\b/i;
/** Labels of a record line that introduce a person ("Subject: ...", "Name: ..."). */
export const LABEL_WORDS = new Set(`subject name names patient client decedent deceased individual alias re`.split(' '));
export const AGE_APPOSITION_RE =
  /^(?:,\s{0,2}(?:aged?\s{1,2})?\d{1,2}(?:\s{0,2}(?:,|\.(?!\d)|;|\)|$)|\s{1,2}(?:years?|yrs?|months?|mos?|weeks?|days?)\b)|\s{0,2}\(\s{0,2}(?:age\s{0,2})?\d{1,2}(?:\s{0,2}(?:years?|yrs?|months?|mos?|weeks?|days?)(?:\s{1,2}old)?)?\s{0,2}[),;]|,\s{0,2}(?:the|a|an|just)\s{1,2}\d{1,2}[-\s](?:day|week|month|year)s?[-\s]old|,\s{0,2}just\s{1,2}\d{1,2}\s{1,2}(?:days?|weeks?|months?|years?)\s{1,2}old|\s{1,2}(?:was|is)\s{1,2}(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s{1,2}(?:days?|weeks?|months?|years?)\s{1,2}old|\s{0,2}\(\s{0,2}(?:DOB|D\.O\.B\.|born|b\.)|\s(?:was|is)\s(?:born|delivered)\b|,\s(?:born|DOB|age)\b|\s(?:is|was|turned|turns|just\sturned)\s\d{1,2}(?=\s{0,2}(?:[.,;)]|$|\s(?:and|but|y)\b)))/i;
/** Separators between a role or label and the name it introduces: "infant, Jayden", "Child:** Ximena", "| Mother | Ana |". */
export const APPOS_GAP_RE = /^(?:\s*[,:(]\s*["“']?|\s+[—–-]\s+|\s*[—–]\s*|[*_]{1,2}\s*[:]\s*[*_]{0,2}\s*|\s*:\s*[*_]{1,2}\s*|\s*\|\s*)$/;
