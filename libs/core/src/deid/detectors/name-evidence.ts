/**
 * Evidence about a run of capitalised words, shared by the name rules: could a word be part of a
 * name, how far a name runs, and the signs that it is not a person in the case (an organisation,
 * place, product or law; an official, contact or signatory; a cited author; an agency contact).
 */
import { isEnglishWord } from '../lexicon/dictionary';
import { CREDENTIALS, isAgeNoun, isGivenName, isPlaceWord, PRODUCT_BRAND_WORDS, PRODUCT_NOUNS, PUBLIC_TITLES, PUBLIC_TITLES_NOT_BEFORE, ROLE_WORDS, WORK_NOUNS } from '../lexicon/name-lexicon';
import { CALENDAR_WORDS, COMMON_WORDS, GROUP_WORDS, NAME_TITLES, ORG_SUFFIX_WORDS, PLACE_WORDS, SMALL_WORDS } from '../lexicon/words';
import { ScanContext, Tok } from '../text-context';

const PLURAL_PLACE_NOUNS = new Set(
  `counties parishes cities towns townships villages boroughs districts schools hospitals tribes nations reservations areas regions
   communities neighborhoods neighbourhoods suburbs campuses lakes rivers beaches parks county parish city town township school district area`.split(/\s+/),
);

const PUBLIC_ACT_RE =
  /^(?:,[^,.;]{0,70},|\s?\([^()]{0,60}\))?\s(?:will\s+)?(?:presented|presents|present|spoke|speaks|announced|announces|urged|urges|issued|issues|signed|signs|testified|led|lead|leads|moderated|moderate|hosted|host|chairs|chaired|trained|train|authored|co-authored|approved|approves|reviewed\s+(?:this|the)\s+(?:notice|guidance|policy|draft|toolkit|materials))\b/;
export const SUFFIX_WORDS = new Set(['jr', 'sr', 'ii', 'iii', 'iv']);
const PLACE_PREFIX = new Set(`st saint san santa fort ft mount mt lake port camp glen new el los las la le des du point cape isle`.split(' '));
/** Place prefixes that are never given names. */
const PLACE_ONLY_PREFIX = new Set(`saint san santa fort ft mount mt lake port camp`.split(' '));
/** A line or sentence opening with one of these labels lists staff, reviewers or authors. */
const STAFF_LABEL_RE = /^[\s*_#>-]*(?:reviewers?|reviewed\s+by|prepared\s+by|approved\s+by|authors?|presenters?|speakers?|panelists?|panel|committee(?:\s+members)?|members|acknowledg(?:e)?ments|contacts?|signed|signatories|faculty|trainers?|staff\s+contacts?|cc|from|to|attn)\s*[*_]{0,2}\s*[:,—-]/i;
const CONTACT_CUES = new Set(
  `panel panelists features featuring featured contact contacts questions question email e-mail reach approved signed prepared issued authored presenter presented speaker keynote sincerely regards from thanks thank acknowledge reviewed by cc attn attention author authors`.split(' '),
);

export class NameEvidence {
  private readonly shaped = new Map<number, boolean>();

  constructor(readonly ctx: ScanContext) {}

  get toks(): Tok[] {
    return this.ctx.toks;
  }

  /** A capitalised word that could be part of a name (not a common word, role, month, place...). */
  nameShaped(i: number): boolean {
    let v = this.shaped.get(i);
    if (v === undefined) {
      v = this.computeShaped(this.toks[i]);
      this.shaped.set(i, v);
    }
    return v;
  }

  private computeShaped(t: Tok): boolean {
    if (!t.cap || t.allCaps || t.w.length < 2) return false;
    // "St." "Mt." "Ft." are place prefixes; "Medicaid-eligible", "Spanish-speaking" are adjectives.
    if ((PLACE_PREFIX.has(t.lw) && this.ctx.text[t.e] === '.') || PLACE_ONLY_PREFIX.has(t.lw)) return false;
    if (/-\p{Ll}/u.test(t.w)) return false;
    // "I'm", "We'll", "Don't": contractions; "VINs", "IDs": an acronym's plural.
    if (/['’](?:m|ll|re|ve|d|t)$/.test(t.w) || /^\p{Lu}{2,}s$/u.test(t.w)) return false;
    const nlp = this.ctx.nlp;
    if (isGivenName(t.lw, nlp)) return !ROLE_WORDS.has(t.lw) && !CALENDAR_WORDS.has(t.lw) && !COMMON_WORDS.has(t.lw);
    return !(
      COMMON_WORDS.has(t.lw) ||
      ROLE_WORDS.has(t.lw) ||
      PRODUCT_NOUNS.has(t.lw) ||
      CALENDAR_WORDS.has(t.lw) ||
      ORG_SUFFIX_WORDS.has(t.lw) ||
      PLACE_WORDS.has(t.lw) ||
      GROUP_WORDS.has(t.lw) ||
      NAME_TITLES.has(t.lw) ||
      PUBLIC_TITLES.has(t.lw) ||
      isAgeNoun(t.lw)
    );
  }

  /** A capitalised word that is not an ordinary English word (so likely a name or a place). */
  proper(i: number): boolean {
    const t = this.toks[i];
    return this.nameShaped(i) && !isEnglishWord(t.lw) && !isPlaceWord(t.lw, this.ctx.nlp);
  }

  isInitial(i: number): boolean {
    const t = this.toks[i];
    return t.w.length === 1 && t.cap && this.ctx.text[t.e] === '.';
  }

  /** Extends a name starting at token i: given name, middle initial, surname(s), Jr. Returns [lastIndex, endOffset]. */
  extendRun(i: number): [number, number] {
    const toks = this.toks;
    const text = this.ctx.text;
    let last = i;
    let end = toks[i].e;
    for (let k = 1; k <= 4 && i + k < toks.length; k++) {
      const j = i + k;
      if (toks[j - 1].poss) break;
      const g = text.slice(toks[j - 1].eRaw, toks[j].s);
      const prevInitial = this.isInitial(j - 1);
      // Nicknames in quotes inside a name: Tyrell "Bubba" Johnson.
      const quoted = /^ ["“]$/.test(g) || /^["”] $/.test(g);
      if (!(g === ' ' || (prevInitial && g === '. ') || quoted)) break;
      if (this.isInitial(j)) {
        last = j;
        end = toks[j].e + 1;
        continue;
      }
      if (SUFFIX_WORDS.has(toks[j].lw) && toks[j].cap) {
        last = j;
        end = toks[j].e + (text[toks[j].e] === '.' ? 1 : 0);
        break;
      }
      if (!this.nameShaped(j)) break;
      last = j;
      end = toks[j].e;
    }
    if (this.isInitial(last) && end === toks[last].e) end++;
    return [last, end];
  }

  /** True when the capitalised run from token i continues into an organisation/place/law word or a product. */
  orgFollows(i: number): boolean {
    const toks = this.toks;
    const text = this.ctx.text;
    for (let k = 1; k <= 5 && i + k < toks.length; k++) {
      const j = i + k;
      const g = text.slice(toks[j - 1].eRaw, toks[j].s);
      // "Cheyenne and Arapaho Tribes", "Lewis and Clark College": a coordinated name of one organisation.
      if (toks[j].lw === 'and' && g === ' ' && j + 1 < toks.length && toks[j + 1].cap && this.ctx.gap(j + 1) === ' ') continue;
      if (!/^(?:\.?\s|\s?&\s|\s'n\s|-)$/.test(g) && !(toks[j - 1].poss && g === ' ')) return false;
      if (PRODUCT_NOUNS.has(toks[j].lw) && k <= 3 && !toks[j - 1].poss) return true;
      // "the Ryan White program", "Jacob Wetterling foundation": an organisation word in lower case.
      if (!toks[j].cap) return !toks[j - 1].poss && ORG_SUFFIX_WORDS.has(toks[j].lw) && !/^(?:house|home|place|day|days|week|unit|team|review|street|road|court|drive|lane|avenue)$/.test(toks[j].lw);
      if (ORG_SUFFIX_WORDS.has(toks[j].lw)) return true;
    }
    return false;
  }

  /** A place by its context: after "in/near/outside", or described as a town ("Harlan, a town of 900"). */
  placeByContext(first: number, last: number): boolean {
    const toks = this.toks;
    if (toks[last].poss) return false;
    if (first > 0 && /^(?:in|near|outside|throughout|across|around|en)$/.test(toks[first - 1].lw) && this.ctx.gap(first) === ' ') return true;
    return /^,\s(?:a|an|the)\s(?:small\s|rural\s|tiny\s|remote\s)?(?:town|city|village|community|county|hamlet|suburb|neighborhood|reservation|pueblo)\b/.test(this.ctx.text.slice(toks[last].eRaw, toks[last].eRaw + 40));
  }

  placePrefixed(i: number): boolean {
    if (i === 0) return false;
    const p = this.toks[i - 1];
    const g = this.ctx.text.slice(p.eRaw, this.toks[i].s);
    return p.cap && PLACE_PREFIX.has(p.lw) && /^\.?\s$/.test(g);
  }

  /** "Fort Collins, Mount Vernon and Glen Allen": an item of a list whose other items are places. */
  coordinatedWithPlace(first: number): boolean {
    const toks = this.toks;
    let j = first - 1;
    if (j < 0 || !/^(?:,\s|\s(?:and|or)\s|,\s(?:and|or)\s)$/.test(this.ctx.text.slice(toks[j].eRaw, toks[first].s)) && !['and', 'or'].includes(toks[j].lw)) return false;
    if (['and', 'or'].includes(toks[j].lw)) j--;
    let hops = 0;
    while (j >= 0 && toks[j].cap && hops < 4) {
      if (PLACE_PREFIX.has(toks[j].lw) || PLACE_WORDS.has(toks[j].lw) || ORG_SUFFIX_WORDS.has(toks[j].lw) || isPlaceWord(toks[j].lw, this.ctx.nlp)) return true;
      j--;
      hops++;
    }
    return false;
  }

  /** The run is followed (through ", X" / "and Y" items) by a plural place or organisation noun. */
  private listOfPlaces(last: number): boolean {
    const toks = this.toks;
    let j = last + 1;
    for (let hops = 0; hops < 12 && j < toks.length; hops++, j++) {
      const t = toks[j];
      if (PLURAL_PLACE_NOUNS.has(t.lw) && !t.cap) return hops > 0 || this.ctx.gap(j) === ' ';
      // "Charlotte, Eugene and Elizabeth City": the list ends in a place.
      if (t.cap && hops > 0 && ORG_SUFFIX_WORDS.has(t.lw)) return true;
      if (t.cap || t.lw === 'and' || t.lw === 'or') continue;
      return false;
    }
    return false;
  }

  /** A brand or product: "Fisher-Price", "the Boppy lounger", "Dr. Brown's bottles". */
  product(first: number, last: number, titled = false): boolean {
    for (let j = first; j <= last; j++) {
      if (PRODUCT_BRAND_WORDS.has(this.toks[j].lw)) return true;
      // A capital inside a word after a longer stem: "VapoRub", "MamaRoo" (not "DeShawn", "McKenzie").
      if (/^\p{Lu}\p{Ll}{3,}\p{Lu}/u.test(this.toks[j].w)) return true;
      // A run of capitalised words ending in an organisation word: "Guadalupe River".
      if (j > first && this.toks[j].cap && ORG_SUFFIX_WORDS.has(this.toks[j].lw)) return true;
    }
    // "Dr. Brown's bottles", "Dr. Seuss books": a titled name before a product is a brand.
    if (titled && this.toks[last].poss) for (let k = 1; k <= 3 && last + k < this.toks.length; k++) if (PRODUCT_NOUNS.has(this.toks[last + k].lw)) return true;
    const nx = last + 1;
    return nx < this.toks.length && PRODUCT_NOUNS.has(this.toks[nx].lw) && this.ctx.gap(nx) === ' ' && this.toks[last].poss === false;
  }

  /**
   * In a public role: "Governor Maria Lopez", "contact Dana Whitfield, Safety Program Manager",
   * "Approved by Director Karen Mills", "Moon et al., 2022", a name in the agency's own mailbox.
   */
  publicRole(first: number, last: number): boolean {
    const toks = this.toks;
    const text = this.ctx.text;
    const sent = toks[first].sent;
    for (let j = first; j <= last; j++) if (this.ctx.publicValues.nameWords.has(toks[j].lw)) return true;
    // Placeholders: "John Doe", "Jane Roe".
    if (last + 1 < toks.length && (toks[last + 1].lw === 'doe' || toks[last + 1].lw === 'roe') && toks[last + 1].cap) return true;
    // Cited authors in parentheses: "(Lee, Nguyen & Okafor, JAMA Pediatrics)", "(Moon et al., 2022)".
    // (Every look-around here is a bounded window, so a long text of names stays linear.)
    const lookBack = Math.max(0, toks[first].s - 80);
    const behind = text.slice(lookBack, toks[first].s);
    const openAt = behind.lastIndexOf('(');
    if (openAt >= 0 && behind.lastIndexOf(')') < openAt) {
      const open = lookBack + openAt;
      const inside = text.slice(open, Math.min(text.length, open + 160)).split(')')[0];
      if (/\b(?:19|20)\d\d\b|\bet\s+al\b|\s&\s|\bjournal\b|\*[A-Z]/.test(inside) && /^\(\s?(?:[A-Z][\p{L}'’-]+(?:,\s|\s&\s|\sand\s|\set\sal\.?,?\s?)){1,6}/u.test(inside)) return true;
    }
    // A list of places: "Brooklyn Park and River Falls schools", "Cameron and St. Charles parishes".
    if (this.listOfPlaces(last)) return true;
    if (toks[first].cap && PUBLIC_TITLES.has(toks[first].lw) && !PUBLIC_TITLES_NOT_BEFORE.has(toks[first].lw)) return true;
    // Title right before: "Director Karen Mills", "Gov. Ana Ruiz", "Commissioner Ortiz".
    for (let k = 1; k <= 2 && first - k >= 0; k++) {
      const p = toks[first - k];
      if (p.cap && PUBLIC_TITLES.has(p.lw) && !PUBLIC_TITLES_NOT_BEFORE.has(p.lw) && /^\.?\s$/.test(text.slice(p.eRaw, toks[first - k + 1].s))) return true;
      // "The governor, Kevin Stitt,": a public title in apposition.
      if (k === 1 && PUBLIC_TITLES.has(p.lw) && !PUBLIC_TITLES_NOT_BEFORE.has(p.lw) && /^,\s$/.test(text.slice(p.eRaw, toks[first].s))) return true;
      if (!p.cap) break;
    }
    for (let k = 1; k <= 8 && first - k >= 0 && toks[first - k].sent === sent; k++) if (CONTACT_CUES.has(toks[first - k].lw)) return true;
    // "Derek Fisher of the Data Unit": staff of a named office.
    if (/^\s(?:of|from|with|at)\s(?:the\s)?(?:[A-Z][\p{L}&'’-]*\s){0,4}(?:Unit|Office|Team|Division|Department|Bureau|Program|Section|Services|Agency|University|College|Institute|Center|Centre|Hospital|Council|Commission|Coalition|Foundation|Association|Society|Academy)\b/u.test(text.slice(toks[last].eRaw, toks[last].eRaw + 80))) return true;
    // Vancouver-style references: "Erck Lambert AB, Parks SE".
    if (/^\s[A-Z]{1,3}[,.]/.test(text.slice(toks[last].eRaw, toks[last].eRaw + 6))) return true;
    // "Winnie the Pooh", "Alexander the Great": characters and epithets.
    if (/^\sthe\s[A-Z]/.test(text.slice(toks[last].eRaw, toks[last].eRaw + 6))) return true;
    const [sentStart] = this.ctx.sentenceSpan(toks[first].s);
    if (toks[first].s - sentStart <= 200 && STAFF_LABEL_RE.test(text.slice(sentStart, toks[first].s))) return true;
    // "Ana Ruiz, LCSW", "Kevin Osei, MD": a credential marks a signature or contact.
    const cred = /^,\s?([A-Za-z.]{2,8})\b/.exec(text.slice(toks[last].eRaw, toks[last].eRaw + 12));
    if (cred && CREDENTIALS.has(cred[1].replace(/\./g, '').toLowerCase())) return true;
    // "Dr. Spock's advice", "Erikson's stages": a work named after its author.
    if (toks[last].poss) for (let k = 1; k <= 3 && last + k < toks.length && toks[last + k].sent === sent; k++) if (WORK_NOUNS.has(toks[last + k].lw)) return true;
    const after = text.slice(toks[last].eRaw, toks[last].eRaw + 60);
    // Cited authors: "Moon et al.", "Moon (2016)", "(Moon, 2016)".
    if (/^\s?(?:et\s+al\b|\(\s?(?:19|20)\d\d|,\s?(?:19|20)\d\d\b|\s(?:and|&)\s[A-Z][\p{L}'-]+\s(?:\(\s?)?(?:19|20)\d\d)/u.test(after)) return true;
    // Title after a comma: "Dana Whitfield, Safety Program Manager"; "Ana Ruiz, the state's medical examiner".
    if (/^,\s/.test(after)) {
      for (let k = 1; k <= 6 && last + k < toks.length && toks[last + k].sent === sent; k++) {
        const t = toks[last + k];
        if (PUBLIC_TITLES.has(t.lw) && (t.cap || k >= 2)) return true;
        if (k >= 4) break;
      }
    }
    // A public act after the name (and its apposition): "Officer Ramirez presented the talk", "Dr. Kim, a pediatrician, reviewed the notice".
    if (PUBLIC_ACT_RE.test(text.slice(toks[last].eRaw, toks[last].eRaw + 100))) return true;
    // A signature line: the name alone on its line, the next line a title.
    const rest = /^[ \t,]*\n([^\n]{0,80})/.exec(text.slice(toks[last].eRaw, toks[last].eRaw + 90));
    if (rest) {
      const next = rest[1].toLowerCase();
      if (next.split(/[\s,]+/).some((w) => PUBLIC_TITLES.has(w))) return true;
    }
    return false;
  }
}
