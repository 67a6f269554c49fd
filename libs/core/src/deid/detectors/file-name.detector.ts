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
/** A Windows or UNC folder path without a file extension: "\\dcs-fs02\intake\2025\0415_Whitaker", "S:\CPS\Lopez family\". */
const FOLDER_PATH_RE = /(?<![\w\\])(?:[A-Za-z]:\\|\\\\[\w.$-]{1,40}\\)(?:[\w.()'&,$-]{1,60}(?: [\w.()'&,$-]{1,60}){0,4}\\){0,10}[\w.()'&,$-]{1,60}\\?/g;
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
  const stem = name.replace(/\.[A-Za-z0-9]{1,5}$/, '');
  // A name written in capitals ("ME AND BABY ZOE.mov") is read word by word like any other.
  const shouting = /[A-Z]{2}/.test(stem) && !/[a-z]/.test(stem) && /[A-Z]+[\s_-]+[A-Z]+/.test(stem);
  for (const raw of parts(stem)) {
    const p = shouting ? raw[0] + raw.slice(1).toLowerCase() : raw;
    const lw = fold(p);
    if (p.length < 3 || FILE_WORDS.has(lw) || COMMON_WORDS.has(lw) || PLACE_WORDS.has(lw) || places.has(lw)) continue;
    if (p === p.toUpperCase()) continue; // acronyms: CPS, ICWA, CANS
    // "jtaylor", "kmorales": an initial and a surname, as user names and file names write them.
    const rest = lw.slice(1);
    if (/^[a-z]{5,}$/.test(p) && (surnames.has(rest) || STRONG_FIRST_NAMES.has(rest)) && !isEnglishWord(rest) && !isEnglishWord(lw)) return `a name ('${p}')`;
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
        else {
          // "saved it as ME AND BABY ZOE.mov": capitalised words right before run into the name.
          const caps = /(?:\b[A-Z][A-Z0-9'&-]*\s){1,6}$/.exec(text.slice(Math.max(0, start - 60), start));
          if (caps && /^[A-Z0-9]/.test(text.slice(start, end))) start -= caps[0].length;
        }
      }
      const why = identifyingPart(text.slice(start, end));
      if (why) out.push(candidate('file_name', start, end, `File name or path containing ${why}`));
    };
    for (const m of matches(PATH_RE, text)) consider(m.index, m.index + m[0].length, false);
    const filePaths = [...paths];
    let q = 0;
    for (const m of matches(FOLDER_PATH_RE, text)) {
      while (q < filePaths.length && filePaths[q][1] <= m.index) q++;
      if ((q < filePaths.length && filePaths[q][0] <= m.index) || !/\\[^\\\s]/.test(m[0].slice(2))) continue;
      consider(m.index, m.index + m[0].length, false);
    }
    paths.sort((x, y) => x[0] - y[0]);
    for (const m of matches(FILE_RE, text)) consider(m.index, m.index + m[0].length, true);
    return out;
  },
};
