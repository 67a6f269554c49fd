/**
 * file_name: a file name or path that carries a person's name or a case identifier
 * ("Harmon_J_autopsy.pdf", "C:\cases\Lopez family\intake.docx", "bodycam_RPT25-044102.mp4",
 * "/Users/kmorales/..."). A file name made of ordinary words ("scene_diagram_v2.png",
 * "safe-sleep-checklist.pdf") is not a finding.
 */
import { Candidate, candidate, DeidDetector, matches } from '../detector';
import { compromiseNames, isEnglishWord } from '../lexicon/dictionary';
import { STRONG_FIRST_NAMES } from '../lexicon/given-names';
import { isGivenName } from '../lexicon/name-lexicon';
import { COMMON_WORDS, PLACE_WORDS } from '../lexicon/words';
import { NOTICE_REFERENCE_RE, PUBLIC_PREFIX_RE } from './public-numbers';
import { fold, ScanContext } from '../text-context';

const EXT = String.raw`(?:pdf|docx?|dotx?|xlsx?|xlsm|csv|pptx?|txt|rtf|odt|ods|odp|pages|numbers|key|wpd|jpe?g|png|gif|heic|heif|webp|tiff?|bmp|dng|aae|mp4|m4v|mov|avi|wmv|mkv|webm|3gp|mpe?g|m4a|mp3|wav|aac|amr|ogg|opus|flac|wma|zip|7z|rar|gz|tar|msg|eml|pst|vcf|ics|json|xml|html?|dat|log|one)`;
const EXTENSION_PRESENT_RE = new RegExp(String.raw`\.${EXT}(?![\w])`, 'i');
/** A path (Windows or Unix) ending in a file name; segments may hold spaces. */
const PATH_RE = new RegExp(String.raw`(?<![\w/\\])(?:[A-Za-z]:\\|\\\\|~\/|\/)(?:[\w .()'&,-]{1,60}[\\/]){0,10}[\w .()'&,-]{0,60}?\.${EXT}(?![\w])`, 'g');
/** A Windows or UNC folder path without a file extension: "\\dcs-fs02\intake\2025\0415_Whitaker", "S:\CPS\Lopez family\". */
const FOLDER_PATH_RE = /(?<![\w\\])(?:[A-Za-z]:\\|\\\\[\w.$-]{1,40}\\)(?:[\w.()'&,$-]{1,60}(?: [\w.()'&,$-]{1,60}){0,4}\\){0,10}[\w.()'&,$-]{1,60}\\?/g;
/** A bare file name without spaces. */
/** Names joined by underscores, with no extension: "Hernandez_intake_final", "Ortiz_M_scene_photos". */
const UNDERSCORED_RE = /(?<![\w@./\\#-])[A-Za-z0-9]+(?:_[A-Za-z0-9]+){2,}(?![\w@]|\.[A-Za-z0-9])/g;
/** A folder shown as a breadcrumb: "Shared drive > Cases > Ortiz, Maria". */
const BREADCRUMB_RE = /(?<![>\w])[\w][\w .,'&-]{0,40}(?:\s?(?:>|›|»)\s?[\w][\w .,'&-]{0,40}){2,6}/g;
/** A Unix or Mac folder path without an extension: "/Users/kmorales/Desktop/cases", "~/Documents/Lopez". */
const UNIX_FOLDER_RE = /(?<![\w/])(?:~|\/(?:Users|home|mnt|Volumes|srv|shared|data))\/[\w.-]{1,40}(?:\/[\w.()-]{1,40}){0,8}/g;
/** Any folder path of three or more segments, rooted or relative, either slash: "/cases/2024-0113/photos", "SharePoint/Intake/2025/TN-44817", "Cases\2025\Whitaker". */
const ANY_FOLDER_RE = /(?<![\w/\\:.@-])(?:\/|~\/)?[A-Za-z0-9][\w.&-]{0,40}(?:[/\\][\w.&-]{1,40}){2,8}(?![\w/\\])/g;
/** A public body's host name (.gov, .edu, .mil, .us, .org) first in a path: a web page. */
const WEB_HOST_RE = /^(?:[\w-]+\.)+(?:gov|edu|mil|us|org)\//i;
/** A relative path: "FamilyPhotos/2025/Bao_1st_bday.jpg". */
const RELATIVE_PATH_RE = new RegExp(String.raw`(?<![\w/\\.@:-])[\w.()&'-]{1,60}(?:/[\w.()&'-]{1,60}){1,10}\.${EXT}(?![\w])`, 'gi');
const FILE_RE = new RegExp(String.raw`(?<![\w\\.@-])[\w()'&-]{1,80}(?:\.[\w()'&-]{1,40}){0,3}\.${EXT}(?![\w])`, 'gi');
const FILE_WORDS = new Set(
  `final draft copy rev v1 v2 v3 notes note photos photo pics scene diagram report autopsy prelim preliminary summary intake referral
   safety plan safetyplan notice me ems er ed bodycam dashcam audio video interview transcript timeline chart records record
   packet panel review case file scan scanned form consent release medical school court order petition exhibit attachment
   img image dsc screenshot screen shot doc docs data export extract template flyer poster brochure toolkit checklist guide
   vid mov pic pix bday rpt inv ref pg pp pt sig signed redacted unredacted orig original scan scans cam cctv clip`.split(/\s+/),
);
/** Acronyms that are not initials when a file name holds them. */
const FILE_ACRONYMS = new Set(
  `CPS DCS DCF DHS DSS ER ED EMS ICU NICU PICU MD RN NP PA PD SO DA ME OT PT IT HR QA CQI CFR SIDS SUID SUDC ICWA CASA GAL TPR IEP WIC SNAP
   TANF FY SFY ID DOB SSN US USA NA PDF DOC IMG DSC VID MOV MP CT MRI XR EEG EKG ECG CBC UA UDS TOX LAB RPT INV REF DOJ DOH OCS OCFS
   DCYF DFPS CYFD DHHS HHS ACF CB AAP CDC NIH CPSC FDA NHTSA FBI AM PM OK NO TV HD SD CD DVD USB PNG JPG GPS AI EN ES OLD NEW REV FIN
   CAPTA FFPSA NCANDS AFCARS NYTD CFSR PIP QRTP SACWIS CCWIS FSFN TFACTS IMPACT FACTS OASIS FOCUS CARES CHILDS MOSAIC HEIC JPEG MPEG AUDIO VIDEO`.split(/\s+/),
);

/**
 * Round nine: a public document's name ("ROI_Template_2027.docx", "CAC_referral_process_flowchart.pdf",
 * "Guia_2026_ES.pdf"): with one of these words, an acronym or an unknown word is the document's, not a
 * person's initials or name (a known given name or surname still counts).
 */
const PUBLIC_DOC_WORDS = new Set(
  `template templates blank flowchart infographic poster posters flyer flyers brochure toolkit checklist guide guidance guia handbook manual
   factsheet fact sheet newsletter slides slideshow webinar training curriculum policy procedure procedures counts statewide statistics stats
   dashboard format naming example sample instructions faq plantilla formulario folleto annual agenda minutes bulletin`.split(/\s+/),
);
const FORM_NUMBER_BEFORE_RE = /(?:^|[\\/_\s-])(?:form|forms|policy|rule|section|pub|publication|bulletin|memo|model|lot|formulario)[_\s-]?(?:no[_.\s-]?)?$/i;
/** A placeholder in a naming pattern: "CaseNumber_DocType_YYYYMMDD.pdf", "LastName_First_XXXX.docx". */
const PLACEHOLDER_RE = /^(?:[YMDXN]{2,10}|casenumber|doctype|lastname|firstname|surname|name|date|number|nnnn|initials)$/i;
const MONTH_ABBREVIATIONS = new Set(`jan feb mar apr jun jul aug sep sept oct nov dec`.split(' '));

/** Splits a lower-case run into ordinary words of three or more letters ("safesleep" = safe + sleep). */
function englishCompound(s: string): boolean {
  const n = s.length;
  if (n < 6 || n > 40) return false;
  const ok: boolean[] = new Array(n + 1).fill(false);
  ok[0] = true;
  for (let i = 3; i <= n; i++) for (let j = Math.max(0, i - 14); j <= i - 3 && !ok[i]; j++) if (ok[j] && isEnglishWord(s.slice(j, i))) ok[i] = true;
  return ok[n];
}

/** Words that end a file name's run back: a file name does not start before these. */
const RUN_BACK_STOP = new Set(
  `the a an to as in at on from of and or was is were are be been called named titled labeled labelled saved uploaded sent attached
   shared posted opened open see delete deleted file files photo photos video called into onto with by for under this that these those its his her their
   emailed mailed forwarded texted printed downloaded scanned faxed submitted returned renamed`.split(/\s+/),
);

/** Splits a file name into its words: separators, digits and camelCase boundaries. */
function parts(name: string): string[] {
  return name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z\u00C0-\u024F]+/)
    .filter((p) => p.length > 0);
}

/**
 * Round twenty-one: the text spells the capitals out as a name of capitalised words ("All County Letter
 * 24-45 ... ACL_24-45_CarSeat.pdf"): an acronym of a document or body, not a person's initials. Every
 * word must be an ordinary one: "Jayden Morales ... JM_autopsy.pdf" spells a person's initials.
 */
function spelledOut(acronym: string, text: string): boolean {
  if (!text) return false;
  const words = [...acronym].map((c) => `${c}[a-z'’]+`).join(String.raw`\s+(?:(?:of|and|for|the|&)\s+)?`);
  for (const m of text.matchAll(new RegExp(String.raw`\b${words}\b`, 'g'))) {
    if (m[0].split(/\s+/).every((w) => isEnglishWord(w.toLowerCase()) && !isGivenName(w.toLowerCase(), { lexicon: true, tagger: false }))) return true;
  }
  return false;
}

/** Why the file name identifies someone, or undefined. */
export function identifyingPart(name: string, text = ''): string | undefined {
  const userPath = /[\\/](?:Users|home)[\\/]([A-Za-z][\w.-]{1,30})/i.exec(name);
  if (userPath) return `a user's folder ('${userPath[1]}')`;
  for (const group of name.match(/\d+/g) ?? []) {
    if (group.length >= 5 && !/^(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:[0-2]\d|3[01])$/.test(group)) return `an identifier ('${group}')`;
  }
  // "JC-24-0117", "RPT25-044102": a case-style number split into groups.
  // (Not the notice's own reference or a public number: "NPCS-2026-0021_Summary.docx".)
  const publicRefs = name.replace(/[A-Z]{2,8}-\d{4}-\d{3,6}/g, (ref) => (NOTICE_REFERENCE_RE.test(ref) || PUBLIC_PREFIX_RE.test(ref) ? '' : ref));
  // "2024_0113", "24-0417": a year or prefix and a serial, as case folders and scans are numbered.
  const serial = /(?<![\d])(?:\d{2}|(?:19|20)\d\d)[-_](?!(?:0[1-9]|1[0-2])[-_]\d)\d{4,6}(?!\d)/.exec(publicRefs);
  if (serial && !/^(?:IMG|DSC|PXL|VID|MVI|Screenshot)/i.test(name.replace(/^.*[\\/]/, ''))) return `an identifier ('${serial[0]}')`;
  for (const m of publicRefs.matchAll(/[A-Z]{0,5}\d{2,4}(?:-[A-Z0-9]{2,8}){1,3}/g)) {
    const chunk = m[0];
    // Round twenty: a form's, policy's or rule's own number ("Form_15-253_rev2024.docx").
    if (FORM_NUMBER_BEFORE_RE.test(publicRefs.slice(0, m.index))) continue;
    const digits = chunk.replace(/\D/g, '').length;
    if (digits >= 5 && !/^(?:19|20)\d\d-\d\d(?:-\d\d)?$/.test(chunk) && !/^\d{1,2}-\d{1,2}-\d{2,4}$/.test(chunk)) return `an identifier ('${chunk}')`;
  }
  const { given, surnames, places } = compromiseNames();
  const stem = name.replace(/\.[A-Za-z0-9]{1,5}$/, '');
  // A name written in capitals ("ME AND BABY ZOE.mov") is read word by word like any other.
  const shouting = /[A-Z]{2}/.test(stem) && !/[a-z]/.test(stem) && /[A-Z]+[\s_-]+[A-Z]+/.test(stem);
  const publicDoc = parts(stem).some((w) => PUBLIC_DOC_WORDS.has(w.toLowerCase()));
  for (const raw of parts(stem)) {
    const p = shouting ? raw[0] + raw.slice(1).toLowerCase() : raw;
    const lw = fold(p);
    if (PLACEHOLDER_RE.test(p) || MONTH_ABBREVIATIONS.has(lw)) continue;
    if (publicDoc && !given.has(lw) && !surnames.has(lw) && !STRONG_FIRST_NAMES.has(lw)) continue;
    // "JM_autopsy.pdf": two or three capitals that are not a known acronym are initials.
    if (!shouting && /^[A-Z]{2,3}$/.test(p) && !FILE_ACRONYMS.has(p) && !spelledOut(p, text)) return `initials ('${p}')`;
    if (p.length < 3 || FILE_WORDS.has(lw) || COMMON_WORDS.has(lw) || PLACE_WORDS.has(lw) || places.has(lw)) continue;
    // A word in capitals among lower-case ones ("NAKAI_intake.docx"): a name when it is no English word and has the vowels of one.
    if (p === p.toUpperCase() && !shouting && /[a-z]/.test(stem) && p.length >= 4 && !FILE_ACRONYMS.has(p) && !isEnglishWord(lw) && (lw.match(/[aeiouy]/g) ?? []).length >= 2 && (given.has(lw) || surnames.has(lw) || !englishCompound(lw))) return `a name ('${p}')`;
    if (p === p.toUpperCase()) continue; // acronyms: CPS, ICWA, CANS
    // "jtaylor", "kmorales": an initial and a surname, as user names and file names write them.
    const rest = lw.slice(1);
    if (/^[a-z]{5,}$/.test(p) && (surnames.has(rest) || STRONG_FIRST_NAMES.has(rest)) && !isEnglishWord(rest) && !isEnglishWord(lw)) return `a name ('${p}')`;
    if (given.has(lw) || surnames.has(lw) || STRONG_FIRST_NAMES.has(lw)) {
      if (!isEnglishWord(lw) || /^[A-Z]/.test(p)) return `a name ('${p}')`;
    } else if (!isEnglishWord(lw) && (/^[A-Z]/.test(p) || (lw.length >= 4 && /[aeiouy]/.test(lw) && !englishCompound(lw)))) return `a name ('${p}')`;
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
          // "saved it as ME AND BABY ZOE.mov", "uploaded Jayden Smith autopsy.pdf", "the Ruiz family photos.zip": the
          // words right before run into the name, back to a function word, starting at a capital or a digit.
          const back = /(?:(?<![\p{L}\d])[\p{L}\d][\p{L}\d'&-]{0,30}\s){1,5}$/u.exec(text.slice(Math.max(0, start - 120), start));
          if (back) {
            const words = back[0].split(/\s/).filter(Boolean);
            let k = words.length;
            // (Words in capitals are part of a shouted name: "ME AND BABY ZOE.mov".)
            while (k > 0 && (!RUN_BACK_STOP.has(words[k - 1].toLowerCase()) || (words[k - 1].length > 1 && words[k - 1] === words[k - 1].toUpperCase()))) k--;
            let run = words.slice(k);
            while (run.length && !/^[A-Z0-9]/.test(run[0])) run = run.slice(1);
            if (run.length) start -= run.join(' ').length + 1;
          }
        }
      }
      const why = identifyingPart(text.slice(start, end), text);
      if (why) out.push(candidate('file_name', start, end, `File name or path containing ${why}`));
    };
    // Most notices name no file: one pass for an extension saves the file-name patterns' work on every word.
    const hasExtension = EXTENSION_PRESENT_RE.test(text);
    for (const m of hasExtension ? matches(PATH_RE, text) : []) consider(m.index, m.index + m[0].length, false);
    for (const m of hasExtension ? matches(RELATIVE_PATH_RE, text) : []) consider(m.index, m.index + m[0].length, false);
    paths.sort((x, y) => x[0] - y[0]);
    const filePaths = [...paths];
    let q = 0;
    for (const m of matches(FOLDER_PATH_RE, text)) {
      while (q < filePaths.length && filePaths[q][1] <= m.index) q++;
      if ((q < filePaths.length && filePaths[q][0] <= m.index) || !/\\[^\\\s]/.test(m[0].slice(2))) continue;
      consider(m.index, m.index + m[0].length, false);
    }
    paths.sort((x, y) => x[0] - y[0]);
    for (const m of hasExtension ? matches(FILE_RE, text) : []) consider(m.index, m.index + m[0].length, true);
    for (const re of [UNDERSCORED_RE, UNIX_FOLDER_RE, ANY_FOLDER_RE]) {
      for (const m of matches(re, text)) {
        // A format mask in capitals ("MM/DD/YYYY", "XX/XX/20XX") is no folder.
        if (re === ANY_FOLDER_RE && !/[a-z]/.test(m[0])) continue;
        // Round fourteen: a web address without its scheme ("oregon.gov/odhs/recalls") is a page, not a folder.
        if (re === ANY_FOLDER_RE && WEB_HOST_RE.test(m[0])) continue;
        const why = identifyingPart(m[0]);
        if (why) out.push(candidate('file_name', m.index, m.index + m[0].length, `File or folder name containing ${why}`));
      }
    }
    for (const m of /[>›»]/.test(text) ? matches(BREADCRUMB_RE, text) : []) {
      const why = identifyingPart(m[0].split(/\s?[>›»]\s?/).join('/'));
      if (why) out.push(candidate('file_name', m.index, m.index + m[0].length, `Folder path containing ${why}`));
    }
    return out;
  },
};
