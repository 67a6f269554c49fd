/**
 * Calendar dates in the ways notices write them: digits (04/12/2023, 2023-04-12, 2022.07.19,
 * 4-Oct-22), month names (March 3, 2026; 3rd of March; Jan. 27), words ("the ninth of November,
 * twenty twenty-two", "twelve April twenty twenty-three"), holidays with a year ("Christmas Eve
 * 2023"), with an optional weekday before. (chrono-node was measured as an addition and dropped:
 * it added a false alarm on each development set and found nothing these patterns missed.)
 * Every pattern is a bounded alternation, so finding dates is linear in the text.
 */
export interface FoundDate {
  readonly start: number;
  readonly end: number;
  /** 'day' dates can be exact incident dates; 'month' dates only count as birth dates. */
  readonly precision: 'day' | 'month';
  readonly hasYear: boolean;
}

export const MONTH_RE_SRC =
  '(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)';
const UNIT_WORDS = 'one|two|three|four|five|six|seven|eight|nine';
const ORDINAL_UNITS = 'first|second|third|fourth|fifth|sixth|seventh|eighth|ninth';
const DAY_WORD = `(?:(?:twenty|thirty)[- ](?:${ORDINAL_UNITS}|${UNIT_WORDS})|thirtieth|twentieth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|${ORDINAL_UNITS}|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|thirty-one|${UNIT_WORDS})`;
const DAY = `(?:\\d{1,2}(?:st|nd|rd|th)?|${DAY_WORD})`;
const TENS = 'twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety';
const TEENS = 'ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen';
const TWO_DIGIT_WORDS = `(?:(?:${TENS})(?:[- ](?:${UNIT_WORDS}))?|${TEENS}|oh[- ](?:${UNIT_WORDS}))`;
const YEAR_WORDS = `(?:(?:twenty|nineteen)[- ]${TWO_DIGIT_WORDS}|two[- ]thousand(?:[- ]and)?(?:[- ](?:${TWO_DIGIT_WORDS}|${UNIT_WORDS}))?)`;
const YEAR = `(?:(?:19|20)\\d{2}|['’]\\d{2}|${YEAR_WORDS})`;
const WEEKDAY = '(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|(?:Mon|Tues?|Wed|Thu(?:rs?)?|Fri|Sat|Sun)\\.?)(?:,\\s{0,2}|\\s{1,2}))?';
const SP = '\\s{1,3}';
const YEAR_TAIL = `(?:,?${SP}(?:in${SP})?(?<y>${YEAR}))?`;
/** Spanish month names, as intake forms and statements translated in part write them. */
export const SPANISH_MONTH_RE_SRC = '(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre)';
/**
 * Round fourteen: month names in the other languages notices are written or translated into (French,
 * Portuguese, Tagalog, Somali, Haitian Creole); counted only with a day and a year, since some are words.
 */
const OTHER_MONTH_RE_SRC =
  '(?:janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[ûu]t|septembre|octobre|novembre|d[ée]cembre|janeiro|fevereiro|mar[çc]o|maio|junho|julho|setembro|outubro|dezembro|Enero|Pebrero|Marso|Abril|Mayo|Hunyo|Hulyo|Agosto|Setyembre|Oktubre|Nobyembre|Disyembre|Jann?aayo|Febraayo|Feberwari|Maarso|Abriil|Maajo|Juun|Luulyo|Agoosto|Sebtembar|Oktoobar|Nofembar|Diseembar|janvye|fevriye|jiy[èe]|septanm|okt[òo]b|novanm|desanm)';
const HOLIDAYS = "(?:Christmas(?:\\s(?:Eve|Day))?|New\\sYear['’]s(?:\\s(?:Eve|Day))?|Thanksgiving(?:\\sDay)?|Halloween|Easter(?:\\sSunday)?|Independence\\sDay|the\\sFourth\\sof\\sJuly|Valentine['’]s\\sDay|Mother['’]s\\sDay|Father['’]s\\sDay|Labor\\sDay|Memorial\\sDay)";

const PATTERNS: Array<[string, string]> = [
  // March 3, 2026 / March the 3rd, two thousand twenty / Jan. 27
  ['mdy', `${WEEKDAY}(?<m>${MONTH_RE_SRC})\\.?${SP}(?:the${SP})?(?<d>${DAY})\\b${YEAR_TAIL}`],
  // the ninth of November, twenty twenty-two / 3rd of February 2026 / 14 Feb 2026 / twelve April twenty twenty-three
  ['dmy', `${WEEKDAY}(?:the${SP})?(?<d>${DAY})${SP}(?:of${SP})?(?<m>${MONTH_RE_SRC})\\b\\.?${YEAR_TAIL}`],
  // 2023-04-12, 2022.07.19, 2023/04/12, 2024-05-11T16:20 (a timestamp's date)
  ['ymd', `(?<y>(?:19|20)\\d{2})(?<sep>[-./])(?<m>\\d{1,2})\\k<sep>(?<d>\\d{1,2})(?:\\b|(?=T\\d{2}:\\d{2}))`],
  // 04/12/2023, 9/2/23, 12-26-2025, 6.14.2025
  ['num', `(?<a>\\d{1,2})(?<sep>[/.-])(?<b>\\d{1,2})\\k<sep>(?<y>\\d{4}|\\d{2})\\b`],
  // 4-Oct-22, 04-OCT-2022
  ['dmonY', `(?<d>\\d{1,2})-(?<m>${MONTH_RE_SRC})-(?<y>\\d{4}|\\d{2})\\b`],
  // 09JAN2024, 9Jan24 (face sheets and file names)
  ['compact', `(?<d>\\d{1,2})(?<m>${MONTH_RE_SRC})(?<y>\\d{4}|\\d{2})\\b`],
  // 9 de diciembre de 2025, el primero de mayo del 2024
  ['es', `(?<d>\\d{1,2}|primero|[a-z]{3,12})${SP}de${SP}(?<m>${SPANISH_MONTH_RE_SRC})(?:${SP}(?:de|del)${SP}(?<y>(?:19|20)\\d{2}))?\\b`],
  // ngày 05 tháng 6 năm 2023 (Vietnamese: day, month, year)
  ['vi', `(?<d>\\d{1,2})${SP}tháng${SP}(?<m>\\d{1,2})(?:,?${SP}năm${SP}(?<y>(?:19|20)\\d{2}))?`],
  // hnub tim 12 lub 10 hli xyoo 2017 (Hmong: day, month, year)
  ['hmn', `hnub${SP}tim${SP}(?<d>\\d{1,2})${SP}lub${SP}(?<m>\\d{1,2})${SP}hli(?:${SP}xyoo${SP}(?<y>(?:19|20)\\d{2}))?`],
  // 17-da Oktoobar 2024, le 3 avril 2025, ika-12 ng Abril 2025, Abril 12, 2025
  ['intl', `(?:ika-)?(?<d>\\d{1,2})(?:-?(?:da|ka|er))?${SP}(?:de${SP}|ng${SP})?(?<m>${OTHER_MONTH_RE_SRC})(?:,?${SP}(?:de${SP}|del${SP})?(?<y>(?:19|20)\\d{2}))`],
  ['intlmdy', `(?<m>${OTHER_MONTH_RE_SRC})${SP}(?<d>\\d{1,2}),?${SP}(?<y>(?:19|20)\\d{2})`],
  // Christmas Eve 2023
  ['holiday', `(?<h>${HOLIDAYS})${SP}(?:of${SP})?(?<y>(?:19|20)\\d{2})\\b`],
  // January 2026, diciembre de 2025 (month precision)
  ['my', `(?<m>${MONTH_RE_SRC})\\.?,?${SP}(?:of${SP})?(?<y>(?:19|20)\\d{2}|['’]\\d{2}|${YEAR_WORDS})\\b`],
  ['esmy', `(?<m>${SPANISH_MONTH_RE_SRC})${SP}(?:de|del)${SP}(?<y>(?:19|20)\\d{2})\\b`],
  // 11/2025 (month precision: a birth month on a form)
  ['mnum', `(?<m>0?[1-9]|1[0-2])[/-](?<y>(?:19|20)\\d{2})(?![/-]?\\d)`],
];

const DATE_RE = new RegExp(PATTERNS.map(([name, p]) => `(?<${name}>\\b${p.replace(/\?<(\w+)>/g, `?<${name}_$1>`).replace(/\\k<(\w+)>/g, `\\k<${name}_$1>`)})`).join('|'), 'gi');

const SPANISH_DAY_WORDS = new Set(
  'uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince dieciseis dieciséis diecisiete dieciocho diecinueve veinte veintiuno veintidos veintidós veintitres veintitrés veinticuatro veinticinco veintiseis veintiséis veintisiete veintiocho veintinueve treinta'.split(' '),
);
const MONTH_NAMES = new Set(['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']);

function validYear(y: string | undefined): boolean {
  if (!y || !/^\d{4}$/.test(y)) return true;
  const n = Number(y);
  return n >= 1900 && n <= 2099;
}

function dayNumber(d: string | undefined): number {
  if (!d) return 0;
  const digits = /^\d{1,2}/.exec(d);
  return digits ? Number(digits[0]) : 1; // words were matched from a closed list of 1..31
}

/** Is the capitalised month word really a month (not "May" the verb, "March" the noun)? */
function monthOk(m: string | undefined, whole: string): boolean {
  if (!m) return false;
  if (!MONTH_NAMES.has(m.slice(0, 3).toLowerCase())) return false;
  // Month names must be capitalised ("may be", "march on" are words).
  return /^[A-Z]/.test(m) || /^\d/.test(whole);
}

/** The last field's dates: several detectors ask for the same field's dates in a row. */
let cachedText: string | undefined;
let cachedDates: FoundDate[] = [];

/** The dates of `text`, in order. The array is shared with later callers on the same text: read it, do not change it. */
export function findDates(text: string): readonly FoundDate[] {
  if (text !== cachedText) {
    cachedDates = scanDates(text);
    cachedText = text;
  }
  return cachedDates;
}

function scanDates(text: string): FoundDate[] {
  const out: FoundDate[] = [];
  DATE_RE.lastIndex = 0;
  for (let m = DATE_RE.exec(text); m; m = DATE_RE.exec(text)) {
    const g = m.groups ?? {};
    const kind = PATTERNS.find(([name]) => g[name] !== undefined)?.[0];
    const part = (k: string): string | undefined => g[`${kind}_${k}`];
    let ok = false;
    let precision: 'day' | 'month' = 'day';
    let hasYear = part('y') !== undefined;
    if (kind === 'es') {
      const d = part('d') ?? '';
      ok = /^\d/.test(d) ? Number(d) >= 1 && Number(d) <= 31 : d === 'primero' || SPANISH_DAY_WORDS.has(d.toLowerCase());
    } else if (kind === 'esmy' || kind === 'mnum') {
      ok = true;
      precision = 'month';
      hasYear = true;
    } else if (kind === 'mdy' || kind === 'dmy' || kind === 'dmonY' || kind === 'compact') {
      const d = dayNumber(part('d'));
      ok = monthOk(part('m'), m[0]) && d >= 1 && d <= 31 && validYear(part('y'));
      // "April 2" alone is ambiguous with "the April 2 meeting": still a date; callers judge context.
    } else if (kind === 'ymd') {
      ok = validYear(part('y')) && Number(part('m')) >= 1 && Number(part('m')) <= 12 && Number(part('d')) >= 1 && Number(part('d')) <= 31;
    } else if (kind === 'num') {
      const a = Number(part('a'));
      const b = Number(part('b'));
      ok = a >= 1 && b >= 1 && ((a <= 12 && b <= 31) || (a <= 31 && b <= 12)) && validYear(part('y'));
      // "1.5.2" style version numbers and scores are not dates: require a slash or dash, or a 4-digit year with dots.
      if (part('sep') === '.' && (part('y') ?? '').length !== 4) ok = false;
    } else if (kind === 'vi' || kind === 'hmn') {
      ok = Number(part('d')) >= 1 && Number(part('d')) <= 31 && Number(part('m')) >= 1 && Number(part('m')) <= 12;
    } else if (kind === 'intl' || kind === 'intlmdy') {
      ok = Number(part('d')) >= 1 && Number(part('d')) <= 31;
    } else if (kind === 'holiday') {
      ok = validYear(part('y'));
    } else if (kind === 'my') {
      ok = monthOk(part('m'), m[0]) && validYear(part('y'));
      precision = 'month';
      hasYear = true;
    }
    // "... of March." keeps the sentence's full stop out of the span.
    const trim = m[0].endsWith('.') && (part('m') ?? '').length > 4 ? 1 : 0;
    if (ok) out.push({ start: m.index, end: m.index + m[0].length - trim, precision, hasYear });
  }
  return out.sort((a, b) => a.start - b.start);
}
