/**
 * file_name: a file name or path that carries a person's name or a case identifier
 * ("Harmon_J_autopsy.pdf", "C:\cases\Lopez family\intake.docx", "bodycam_RPT25-044102.mp4",
 * "/Users/kmorales/..."). A file name made of ordinary words ("scene_diagram_v2.png",
 * "safe-sleep-checklist.pdf") is not a finding.
 */
import { Candidate, candidate, DeidDetector, matches } from '../detector';
import { compromiseNames, isEnglishWord } from '../lexicon/dictionary';
import { STRONG_FIRST_NAMES } from '../lexicon/given-names';
import { COMMON_WORDS, PLACE_WORDS } from '../lexicon/words';
import { fold, ScanContext } from '../text-context';

const EXT = String.raw`(?:pdf|docx?|xlsx?|xlsm|csv|pptx?|txt|rtf|odt|jpe?g|png|gif|heic|tiff?|bmp|mp4|mov|avi|wmv|m4a|mp3|wav|zip|7z|rar|msg|eml|json|xml|html?|dat)`;
/** A path (Windows or Unix) ending in a file name; segments may hold spaces. */
const PATH_RE = new RegExp(String.raw`(?<![\w/\\])(?:[A-Za-z]:\\|\\\\|~\/|\/)(?:[\w .()'&,-]{1,60}[\\/]){0,10}[\w .()'&,-]{0,60}?\.${EXT}(?![\w])`, 'g');
/** A bare file name without spaces. */
const FILE_RE = new RegExp(String.raw`(?<![\w/\\.@-])[\w()'&-]{1,80}(?:\.[\w()'&-]{1,40}){0,3}\.${EXT}(?![\w])`, 'gi');
const FILE_WORDS = new Set(
  `final draft copy rev v1 v2 v3 notes note photos photo pics scene diagram report autopsy prelim preliminary summary intake referral
   safety plan safetyplan notice me ems er ed bodycam dashcam audio video interview transcript timeline chart records record
   packet panel review case file scan scanned form consent release medical school court order petition exhibit attachment
   img image dsc screenshot screen shot doc docs data export extract template flyer poster brochure toolkit checklist guide`.split(/\s+/),
);

/** Splits a file name into its words: separators, digits and camelCase boundaries. */
function parts(name: string): string[] {
  return name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z\u00C0-\u024F]+/)
    .filter((p) => p.length > 0);
}

/** Why the file name identifies someone, or undefined. */
export function identifyingPart(name: string): string | undefined {
  const userPath = /[\\/](?:Users|home)[\\/]([A-Za-z][\w.-]{1,30})/i.exec(name);
  if (userPath) return `a user's folder ('${userPath[1]}')`;
  for (const group of name.match(/\d+/g) ?? []) {
    if (group.length >= 5 && !/^(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:[0-2]\d|3[01])$/.test(group)) return `an identifier ('${group}')`;
  }
  const { given, surnames, places } = compromiseNames();
  for (const p of parts(name.replace(/\.[A-Za-z0-9]{1,5}$/, ''))) {
    const lw = fold(p);
    if (p.length < 3 || FILE_WORDS.has(lw) || COMMON_WORDS.has(lw) || PLACE_WORDS.has(lw) || places.has(lw)) continue;
    if (p === p.toUpperCase()) continue; // acronyms: CPS, ICWA, CANS
    if (given.has(lw) || surnames.has(lw) || STRONG_FIRST_NAMES.has(lw)) {
      if (!isEnglishWord(lw) || /^[A-Z]/.test(p)) return `a name ('${p}')`;
    } else if (/^[A-Z]/.test(p) && !isEnglishWord(lw)) return `a name ('${p}')`;
  }
  return undefined;
}

export const fileNameDetector: DeidDetector = {
  kind: 'file_name',
  detect(ctx: ScanContext): Candidate[] {
    const text = ctx.text;
    const out: Candidate[] = [];
    // Paths come first and in order; a bare name inside one is skipped with a pointer.
    const paths: Array<[number, number]> = [];
    let p = 0;
    const consider = (start: number, end: number, bare: boolean): void => {
      if (bare) {
        while (p < paths.length && paths[p][1] < end) p++;
        if (p < paths.length && paths[p][0] <= start) return;
      } else paths.push([start, end]);
      // "Attachment: 25-0417 Morales autopsy prelim.pdf": a bare name with spaces runs back to its label.
      if (bare) {
        const window = text.slice(Math.max(0, start - 60), start);
        const boundary = Math.max(...[':', '\n', '•', '>', '"', '“', '('].map((c) => window.lastIndexOf(c)));
        const words = boundary >= 0 ? window.slice(boundary + 1).replace(/^[\s*-]+/, '') : '';
        if (words && /^[\w(][\w ()'&,-]{0,58} $/.test(words) && words.trim().split(/\s+/).length <= 6 && !/[.,;]\s/.test(words)) start -= words.length;
      }
      const why = identifyingPart(text.slice(start, end));
      if (why) out.push(candidate('file_name', start, end, `File name or path containing ${why}`));
    };
    for (const m of matches(PATH_RE, text)) consider(m.index, m.index + m[0].length, false);
    for (const m of matches(FILE_RE, text)) consider(m.index, m.index + m[0].length, true);
    return out;
  },
};
