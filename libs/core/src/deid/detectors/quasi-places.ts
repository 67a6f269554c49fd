/**
 * Named places that can single out a child (used by the quasi-identifier detector): schools,
 * daycares, churches, clubs, foster and group homes ("Whitfield Elementary", "Little Lambs Home
 * Daycare", "Grace Fellowship on Route 9", "the Hendricks foster home"), a saint's name used for a
 * parish or parish school ("St. Brendan's"), and youth teams ("the Eastside Rockets 10U wrestling
 * team", "Hillcrest Eagles #4"). Each pattern is bounded; the detector decides whether the
 * sentence ties the place to one child.
 */

const GRADER = String.raw`(?:\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|kindergarten)[\s-]grader|kindergartner|freshman|sophomore|junior|senior|student|pupil|cheerleader|player`;
const HEAD = String.raw`(?:Elementary(?:\s+School)?|Middle\s+School|Middle(?!\s+(?:of|class|income|ground|name|East|Eastern))|High(?:\s+School)?(?!\s+(?:risk|rates?|numbers?|levels?|doses?|chairs?))|Junior\s+High|Intermediate(?:\s+School)?|Academy|Primary(?:\s+School)?|School|Preschool|Pre-?K|(?:Early\s+)?Head\s+Start|Montessori|Learning\s+(?:Center|Academy)|Child\s+Development\s+Center|Child\s?[Cc]are(?:\s+Center)?|Day\s?[Cc]are(?:\s+Center)?|Daycare|Kindergarten|Church|Chapel|Fellowship|Ministries|Temple|Mosque|Masjid|Synagogue|Tabernacle|Cathedral|Congregation|Kingdom\s+Hall|Foster\s+Home|Group\s+Home|Family\s+Home|Children['’]s\s+Home|Youth\s+(?:Home|Ranch|Shelter|Center|Club)|Boys\s+(?:&|and)\s+Girls\s+Club|Scouts?|Troop\s+\d{1,4}|Little\s+League|YMCA|Elem\.?|HS|MS|JHS|Jr\.?\s+High|Prep|Christian\s+(?:School|Academy)|Charter\s+School|Day\s+School|Baptist(?:\s+Church)?|Methodist(?:\s+Church)?|Lutheran(?:\s+Church)?|Presbyterian(?:\s+Church)?|Catholic(?:\s+(?:Church|School))?|Pentecostal(?:\s+Church)?|Episcopal(?:\s+Church)?|Nazarene|Mennonite(?:\s+Church)?|Adventist(?:\s+Church)?|Assembly\s+of\s+God|Church\s+of\s+Christ|Ward|Stake|KinderCare|Primrose(?:\s+School)?|Goddard\s+School|Kiddie\s+Academy|Tutor\s+Time|La\s+Petite(?:\s+Academy)?|Bright\s+Horizons|Childtime|daycare|day\s+care|preschool|child\s?care)`;
/** A proper name after "at" in a sentence about school: "a kindergartner at Jefferson", "her teacher at Roosevelt". */
export const SCHOOL_AT_RE = new RegExp(
  String.raw`\b(?:grader|kindergartner|preschooler|student|pupil|classmates?|class|classroom|homeroom|teacher|principal|counselor|coach|bus\s+driver|school\s+nurse|school\s+counselor)\s+(?:at|from)\s+(?:the\s+)?[A-Z][A-Za-z\u00C0-\u024F'’.-]+(?:\s[A-Z][A-Za-z\u00C0-\u024F'’.-]+){0,3}`,
  'g',
);
const NAME_WORD = String.raw`[A-Z][A-Za-z\u00C0-\u024F'’.-]{1,24}`;
const PROPER_RUN = String.raw`(?:St\.\s|Saint\s)?${NAME_WORD}(?:\s(?:${NAME_WORD}|of|the|and|de|la|&)){0,4}`;
const VERB_LEAD = String.raw`(?:enrolled|attended|attends|attending|attend|placed|living|lived|staying|stayed|cared\s+for|registered|worshipped|worships|baptized|runs|ran|owns|owned|operates|operated|works|worked|teaches|taught|coached|went|goes|picked\s+up|dropped\s+off|a\s+student|a\s+member|members)\s+(?:at|in|with|to|from|of)?\s*`;
const WHERE = String.raw`(?:\s+(?:on|in)\s+(?:Route\s+\d{1,4}|[A-Z][A-Za-z\u00C0-\u024F'’-]{2,24}(?:\s[A-Z][A-Za-z\u00C0-\u024F'’-]{2,24})?))?`;

/** A named institution, with a grader phrase kept in the span and a verb lead left out of it (group `lead`). */
export const INSTITUTION_RE = new RegExp(
  String.raw`\b(?:(?<grader>(?:[Aa]n?|[Tt]he)\s+(?:${GRADER})\s+(?:at|in|from|of)\s+)|(?<lead>${VERB_LEAD}))?(?:[Tt]he\s+)?${PROPER_RUN}\s+${HEAD}\b${WHERE}|\bthe\s+${NAME_WORD}(?:\s${NAME_WORD})?\s+(?:foster|group|family\s+foster)\s+home\b${WHERE}|\b(?:the\s+)?(?:KinderCare|Primrose\s+School|Goddard\s+School|Kiddie\s+Academy|Tutor\s+Time|La\s+Petite\s+Academy|Bright\s+Horizons|Childtime|The\s+Learning\s+Experience)\b(?:\s+(?:on|in|at|off)\s+(?:[A-Z0-9][\w'’.-]*\s?){1,4})?`,
  'g',
);

/** Spanish: "la Escuela Primaria Benito Juárez", "guardería Pequeños Pasos", "Iglesia Bautista Emanuel". */
export const SPANISH_INSTITUTION_RE =
  /\b(?:[Ee]scuela|[Pp]rimaria|[Ss]ecundaria|[Gg]uarder[íi]a|[Ii]glesia|[Cc]olegio|[Jj]ard[íi]n\s+de\s+[Nn]i[ñn]os|[Pp]reescolar|[Ee]stancia\s+[Ii]nfantil)(?:\s+(?:[Pp]rimaria|[Ss]ecundaria|[Bb]autista|[Cc]at[óo]lica|[Pp]entecostal|[Ii]nfantil))?\s+(?:[A-Z\u00C0-\u00DE][\p{L}'’.-]{1,24})(?:\s(?:[A-Z\u00C0-\u00DE][\p{L}'’.-]{1,24}|de|del|la|los|las|y)){0,4}/gu;

/** "St. Brendan's": a saint's name in the possessive names a parish or its school (not a hospital or a county). */
export const SAINT_PLACE_RE = /\b(?:St\.?|Saint)\s[A-Z][A-Za-z\u00C0-\u024F'’-]{1,24}['’]s\b(?!\s+(?:Hospital|Medical|Children['’]s|Health|Regional|Clinic|County|Parish|River|Lake|Bay|Island|University|College))/g;

const SPORT = String.raw`(?:varsity|JV|junior\s+varsity|travel|club|select|rec|recreation|football|soccer|baseball|softball|basketball|volleyball|wrestling|hockey|swim|swimming|track|cheer|cheerleading|dance|lacrosse|tennis|golf|gymnastics|robotics|debate|chess|girls['’]?|boys['’]?)`;
/** An age group in any writing: 10U, U13, U-10, Under-12. */
const AGE_GROUP = String.raw`(?:\d{1,2}U|U-?\d{1,2}|[Uu]nder-\d{1,2})`;
/** A youth team: "the Eastside Rockets 10U wrestling team", "Hillcrest Eagles #4" (a jersey number), "the Riverside U-10 girls' soccer team". */
export const TEAM_RE = new RegExp(
  String.raw`\b${NAME_WORD}(?:\s${NAME_WORD}){0,2}\s[A-Z][A-Za-z\u00C0-\u024F'’-]{1,24}s\s(?:${AGE_GROUP}\s)?(?:${SPORT}\s){0,3}team\b|\b${NAME_WORD}(?:\s${NAME_WORD})?\s[A-Z][A-Za-z\u00C0-\u024F'’-]{1,24}s\s#\d{1,2}\b|\bthe\s(?:${NAME_WORD}\s){1,3}${AGE_GROUP}\b(?:\s(?:${SPORT}\s){0,3}team\b)?`,
  'g',
);

const WORK_HEAD = String.raw`(?:plant|factory|mill|warehouse|distribution\s+center|refinery|mine|feedlot|dairy|store|shop|station|casino|restaurant|diner|cafe|bar|farm|ranch|garage|salon|school|hospital|clinic|motel|hotel|market|bakery|daycare)`;
/**
 * A named workplace: a capitalised name ("Rosa's Tamales", "Tri-County Towing", "the Walmart distribution
 * center in Bentonville"), or in lower case only with its kind and town ("the tyson plant in noel").
 */
export const WORKPLACE = String.raw`(?:the\s+)?(?:[A-Z][A-Za-z\u00C0-\u024F'’&-]+(?:\s[A-Z][A-Za-z\u00C0-\u024F'’&-]+){0,3}(?:\s${WORK_HEAD})?(?:\s+(?:in|on)\s+(?:[A-Z][A-Za-z\u00C0-\u024F'’-]+(?:\s[A-Z][A-Za-z\u00C0-\u024F'’-]+)?|\d{1,3}(?:st|nd|rd|th)\b))?|[a-z][\w'’-]+(?:\s[a-z][\w'’-]+)?\s${WORK_HEAD}\s+in\s+[a-z][\w'’-]{2,})`;
