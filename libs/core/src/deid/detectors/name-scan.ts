/**
 * The token rules of the name detector (personal-name.detector.ts): one pass over a field's tokens
 * that reads the context of each capitalised run, and the propagation of names found with evidence.
 */
import { Candidate, candidate } from '../detector';
import { isGivenName, isPlaceWord, isStrongGivenName, isSurname, PUBLIC_TITLES, PUBLIC_TITLES_NOT_BEFORE, ROLE_DESC, roleOf, RoleCat } from '../lexicon/name-lexicon';
import { CALENDAR_WORDS, COMMON_WORDS, NAME_TITLES, ORG_SUFFIX_WORDS, PLACE_WORDS } from '../lexicon/words';
import { isEnglishWord } from '../lexicon/dictionary';
import { ScanContext } from '../text-context';
import { NameEvidence, SUFFIX_WORDS } from './name-evidence';
import { roleAfterName, roleInParentheses } from './name-roles';
import { publicContextOfName } from './name-public-context';
import { namedThing } from './named-things';
import {
  ABBREVIATED_TITLES,
  AGE_APPOSITION_RE,
  AGE_LIST_RE,
  APPOS_GAP_RE,
  FAMILY_NOUNS,
  ID_NOUNS,
  LABEL_WORDS,
  LIST_TAIL_RE,
  NAMING_WORDS,
  PERSON_CUE_RE,
  PERSON_OBJECT_VERBS,
  PERSON_VERB_RE,
  POSS_ADJ,
  POSS_REL,
  CASE_ROLES,
} from './name-cues';


/** ", the pediatrician who examined the infant": a physician of this child's case. */
/** Honorifics a hurried note writes in lower case. */
/** An incident that happened to someone, after a possessive name and one word ("Hunter's trampoline fall"). */
const INCIDENT_NOUNS = new Set(['fall', 'falls', 'burn', 'burns', 'drowning', 'injury', 'injuries', 'death', 'bite', 'ingestion', 'overdose', 'fracture', 'fractures', 'accident', 'crash', 'scald', 'scalds', 'poisoning']);
const LOWER_HONORIFICS = new Set(['mr', 'mrs', 'ms']);
const TREATED_THE_CHILD_RE = /^,\s(?:[\p{L}-]+\s){0,5}?who\s+(?:saw|examined|treated|delivered|evaluated|admitted|assessed)\s+(?:the|this|her|his|their)\s+(?:infant|child|baby|boy|girl|toddler|newborn|twins?|children|siblings)\b/u;

/** An email's header line before the text: "From: ...", "To: ...". */
const MAIL_HEADER_RE = /(?:^|\n)\s*(?:from|to|sent|cc|date)\s*:/i;

export class NameScan {
  readonly cands: Candidate[] = [];
  readonly words = new Map<string, string>();
  private readonly ev: NameEvidence;
  /** The last token of a name the rules judged and set aside (the loop does not read it again). */
  private skipTo = -1;

  constructor(private readonly ctx: ScanContext) {
    this.ev = new NameEvidence(ctx);
  }

  private add(start: number, end: number, reason: string, strength: number): void {
    this.cands.push(candidate('personal_name', start, end, reason, strength));
  }

  nameShaped(i: number): boolean {
    return this.ev.nameShaped(i);
  }

  /** The signs that a run is not a person of the case: an organisation, place, product, law, official or contact. */
  rejected(first: number, last: number, titleStart: number | undefined, strength: number, checkPublic: boolean): boolean {
    const toks = this.ctx.toks;
    if (this.placeColumn(first) || namedThing(this.ctx, first, last, titleStart) || this.ev.orgFollows(last) || this.ev.placePrefixed(titleStart ?? first) || this.ev.product(first, last, titleStart !== undefined) || this.ev.coordinatedWithPlace(first)) return true;
    if ((checkPublic || strength < 4) && this.ev.publicRole(titleStart ?? first, last)) return true;
    if (publicContextOfName(this.ctx, toks[titleStart ?? first].s, toks[last].e)) return true;
    if (titleStart === undefined && strength < 4 && this.titledElsewhere(first, last)) return true;
    // "In Harlan, a town of 900", "outside Kingston": a place, unless something stronger says person.
    if (strength < 4 && this.ev.placeByContext(titleStart ?? first, last)) return true;
    return !checkPublic && this.ev.publicRole(titleStart ?? first, last) && this.ctx.publicValues.nameWords.has(toks[first].lw);
  }

  /** Accepts a name run; also follows "X and Y Z" lists. Returns the run's last token. */
  accept(first: number, titleStart: number | undefined, reason: string, strength: number, checkPublic: boolean): number {
    const toks = this.ctx.toks;
    const [last, end] = this.ev.extendRun(first);
    const from = toks[titleStart ?? first].s;
    if (this.rejected(first, last, titleStart, strength, checkPublic)) {
      this.ctx.clear(from, end); // judged an official, place, product or organisation: the token model may not re-add it
      return last;
    }
    this.add(titleStart !== undefined ? toks[titleStart].s : toks[first].s, end, reason, strength);
    for (let j = first; j <= last; j++) {
      const t = toks[j];
      if (t.w.length >= 3 && !SUFFIX_WORDS.has(t.lw) && this.ev.nameShaped(j)) this.words.set(t.lw, t.w);
    }
    // "Rosa and Miguel Fuentes", "Harper and Hazel", "Mr. and Mrs. Petrakis", "De'Asia and N'Dea"
    const nx = last + 1;
    if (nx + 1 < toks.length && toks[nx].lw === 'and' && this.ctx.gap(nx) === ' ' && this.ctx.gap(nx + 1) === ' ') {
      const c = nx + 1;
      if (NAME_TITLES.has(toks[c].lw) && toks[c].cap) this.tryTitle(c, reason, strength);
      else if (this.ev.nameShaped(c) && (!toks[c].titleLine || isGivenName(toks[c].lw, this.ctx.nlp))) this.accept(c, undefined, reason, strength, false);
    }
    return last;
  }

  /** A table cell under a column of places or organisations ("| County |" then "| Shelby |"). */
  private placeColumn(i: number): boolean {
    const header = this.ctx.placementOf(this.ctx.toks[i].s)?.header ?? '';
    return /^(?:county|counties|city|cities|town|region|state|district|parish|office|location|site|area|tribe|nation|agency|facility|hospital|school|unit|program)(?:\s*(?:name|s))?$/i.test(header.replace(/[*_]/g, '').trim());
  }

  private titled?: Set<string>;

  /** A word of the run that the text elsewhere gives with a public title ("Commissioner Aaron Whitcomb" ... "Whitcomb said"). */
  private titledElsewhere(first: number, last: number): boolean {
    const toks = this.ctx.toks;
    if (!this.titled) {
      this.titled = new Set();
      for (let k = 0; k + 1 < toks.length; k++) {
        if (!toks[k].cap || !PUBLIC_TITLES.has(toks[k].lw) || PUBLIC_TITLES_NOT_BEFORE.has(toks[k].lw)) continue;
        for (let j = k + 1; j <= k + 3 && j < toks.length && toks[j].cap; j++) this.titled.add(toks[j].lw);
      }
    }
    for (let j = first; j <= last; j++) if (this.titled.has(toks[j].lw)) return true;
    return false;
  }

  /** Token indices of a list "A, B and C" of single capitalised name words starting at i (one entry when there is no list). */
  private nameList(i: number, loose: boolean): number[] {
    const toks = this.ctx.toks;
    const nlp = this.ctx.nlp;
    const out = [i];
    let k = i;
    while (out.length < 6 && k + 1 < toks.length) {
      let c = k + 1;
      const g = this.ctx.gap(c);
      if ((toks[c].lw === 'and' || toks[c].lw === 'y') && g === ' ') c++;
      else if (g === ', ' && toks[c].lw === 'and' && c + 1 < toks.length) c++;
      else if (g !== ', ') break;
      if (c >= toks.length || this.ctx.gap(c) !== ' ' && c !== k + 1) break;
      const t = toks[c];
      if (!t.cap || !this.ev.nameShaped(c) || !(loose || isGivenName(t.lw, nlp) || this.ev.proper(c))) break;
      out.push(c);
      k = c;
    }
    return out;
  }

  /** Title + surname: Mr./Ms./Mrs./Dr./Sgt./Officer/Nurse. Returns true if accepted. */
  tryTitle(i: number, reasonOverride?: string, strength = 3): boolean {
    const toks = this.ctx.toks;
    const t = toks[i];
    if (!t.cap || !NAME_TITLES.has(t.lw) || i + 1 >= toks.length) return false;
    const abbreviated = ABBREVIATED_TITLES.has(t.lw);
    const g = this.ctx.text.slice(t.eRaw, toks[i + 1].s);
    if (!(g === ' ' || (abbreviated && g === '. '))) return false;
    let c = i + 1;
    if (toks[c].lw === 'and' && c + 1 < toks.length && NAME_TITLES.has(toks[c + 1].lw) && toks[c + 1].cap) {
      c = c + 1;
      const g2 = this.ctx.text.slice(toks[c].eRaw, toks[c + 1]?.s ?? toks[c].eRaw);
      if (c + 1 >= toks.length || !(g2 === ' ' || g2 === '. ')) return false;
      c = c + 1;
    }
    // "Nurse P. Alvarado", "Dr. J. R. Ruiz": initials between the title and the surname.
    let initials = 0;
    while (initials < 2 && c + 1 < toks.length && this.ev.isInitial(c) && this.ctx.text.slice(toks[c].e, toks[c + 1].s) === '. ') {
      c++;
      initials++;
    }
    const cand = toks[c];
    // "Det. Sgt. Omar Haddad": a second title is judged as the title of the name after it.
    if (NAME_TITLES.has(cand.lw)) return false;
    const okSurname = abbreviated
      ? cand.cap && !cand.allCaps && cand.w.length >= 2 && !CALENDAR_WORDS.has(cand.lw) && !ORG_SUFFIX_WORDS.has(cand.lw)
      : this.ev.nameShaped(c);
    if (!okSurname) return false;
    // "Dr. Okafor" with no role of the case before it and no tie to the child after it: a physician,
    // examiner or researcher in a professional role (in the labelled sets, 3 of 41 such names were of a case).
    const [last, end] = this.ev.extendRun(c);
    if (t.lw === 'dr' && reasonOverride === undefined && !TREATED_THE_CHILD_RE.test(this.ctx.text.slice(end, end + 90))) {
      this.ctx.clear(t.s, end);
      this.skipTo = last;
      return true;
    }
    const shown = t.w + (g === '. ' ? '.' : '');
    this.accept(c, i, reasonOverride ?? `Title '${shown}' followed by a name`, strength, true);
    return true;
  }

  /** Round eighteen: an honorific and a surname in lower case, as hurried notes write them ("ms. begaye says"). */
  private lowerHonorific(i: number): boolean {
    const toks = this.ctx.toks;
    const c = toks[i + 1];
    if (!c || this.ctx.gap(i + 1) !== '. ' || !/^\p{Ll}{3,}$/u.test(c.w) || isEnglishWord(c.lw) || COMMON_WORDS.has(c.lw)) return false;
    if (publicContextOfName(this.ctx, c.s, c.e)) return false;
    this.add(toks[i].s, c.e, `Honorific '${toks[i].w}.' followed by a surname`, 3);
    this.words.set(c.lw, c.w);
    return true;
  }

  /** Rule: a role, label or naming word right before the name. */
  private byRoleBefore(i: number): boolean {
    const toks = this.ctx.toks;
    const t = toks[i];
    const nlp = this.ctx.nlp;
    const role = roleOf(t.lw);
    const naming =
      NAMING_WORDS.has(t.lw) ||
      (t.lw === 'as' && i > 0 && (['known', 'identified', 'listed', 'referred'].includes(toks[i - 1].lw) || (roleOf(toks[i - 1].lw) !== undefined && !toks[i - 1].poss))) ||
      (['are', 'is', 'was', 'were', 'name'].includes(t.lw) && i > 0 && ['name', 'names', 'the'].includes(toks[i - 1].lw) && t.lw !== 'name') ||
      (t.lw === 'name' && i > 0 && toks[i - 1].lw === 'the' && i > 1 && /^(?:redact|remove|delete|strike|omit)/.test(toks[i - 2].lw)) ||
      (LABEL_WORDS.has(t.lw) && t.cap && i + 1 < toks.length && /^[*_]{0,2}\s*:\s*[*_]{0,2}\s*$/.test(this.ctx.gap(i + 1)));
    if (!(role || naming) || (role && t.poss) || i + 1 >= toks.length) return false;
    let c = i + 1;
    let g = this.ctx.gap(c);
    if (role && /^\s*,?\s*$/.test(g) && c + 1 < toks.length && ['identified', 'known'].includes(toks[c].lw) && toks[c + 1].lw === 'as') {
      c += 2;
      g = ' ';
    } else if (role && /^\s*,?\s*$/.test(g) && NAMING_WORDS.has(toks[c].lw)) {
      c += 1;
      g = ' ';
    }
    if (c >= toks.length) return false;
    const cand = toks[c];
    const appos = APPOS_GAP_RE.test(g);
    const plain = g === ' ' || (naming && /^ ["'“‘]$/.test(g)) || (naming && APPOS_GAP_RE.test(g)) || (role === 'family' && g === '\n');
    if (!plain && !appos) return false;
    const roleText = this.ctx.text.slice(t.s, t.e);
    if (cand.cap && NAME_TITLES.has(cand.lw)) return this.tryTitle(c, `Looks like ${ROLE_DESC[role ?? 'child']} (title) after '${roleText}'`, 4);
    // "her brother Will, 10": a given name that is also a word counts when capitalised mid-sentence after a role.
    const wordGiven = role !== undefined && cand.cap && !cand.allCaps && !cand.sentStart && isGivenName(cand.lw, nlp) && !PLACE_WORDS.has(cand.lw);
    if ((!this.ev.nameShaped(c) && !wordGiven) || CALENDAR_WORDS.has(cand.lw)) return false;
    // "From: ICPC Desk <...>\nSubject: Revised 100A times": an email's subject line names a topic; only a given name there counts.
    if ((t.lw === 'subject' || t.lw === 're') && MAIL_HEADER_RE.test(this.ctx.text.slice(Math.max(0, t.s - 300), t.s)) && !isGivenName(cand.lw, nlp)) return false;
    const lex = isGivenName(cand.lw, nlp) || this.ev.proper(c);
    let ok: boolean;
    if (cand.titleLine) ok = isGivenName(cand.lw, nlp);
    else if (naming) ok = plain;
    else if (appos) ok = lex || wordGiven || this.ev.extendRun(c)[0] > c; // "CALLER: Thank you" is no name
    else ok = !t.cap || isGivenName(cand.lw, nlp) || this.ev.proper(c) || (t.sentStart && this.ctx.text[cand.e] !== ' '); // "mother Maria" vs "Mother Baby Unit"
    if (!ok) return false;
    const reason = naming ? `Name introduced by '${this.ctx.text.slice(i > 0 && !NAMING_WORDS.has(t.lw) ? toks[i - 1].s : t.s, t.e)}'` : `Looks like ${ROLE_DESC[(role ?? 'child') as RoleCat]} after '${roleText}'`;
    this.accept(c, undefined, reason, 4, false);
    return true;
  }

  detect(): void {
    const toks = this.ctx.toks;
    const text = this.ctx.text;
    const nlp = this.ctx.nlp;
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i];
      if (i <= this.skipTo) continue;
      if (t.cap && NAME_TITLES.has(t.lw) && this.tryTitle(i)) continue;
      if (this.byRoleBefore(i)) continue;
      if (!t.cap && LOWER_HONORIFICS.has(t.lw) && this.lowerHonorific(i)) continue;
      if (!t.cap || !this.ev.nameShaped(i)) continue;
      const strongGiven = isStrongGivenName(t.lw, nlp) || /^[A-Z]['’][A-Z]\p{Ll}{2,}$/u.test(t.w);
      const lex = isGivenName(t.lw, nlp) || this.ev.proper(i);
      const [last, end] = this.ev.extendRun(i);

      // Name with an age in apposition: "Deshawn, 13,", "Jayden (4 months)", "Isaiah, the 8-year-old".
      if (!toks[last].poss && (!t.titleLine || lex)) {
        const after = text.slice(end, end + 40);
        if (AGE_APPOSITION_RE.test(after) && (lex || !PLACE_WORDS.has(t.lw))) {
          this.accept(i, undefined, `Name followed by an age or a birth date`, 4, false);
          i = last;
          continue;
        }
      }
      // Name followed by its role: "Ronald Pike, the mother's uncle", "Ayaan Mohamed, the baby's mother".
      if (!toks[last].poss && (!t.titleLine || lex)) {
        const roleAfter = /^,/.test(text.slice(end, end + 1)) ? roleAfterName(text.slice(end, end + 80)) : roleInParentheses(text.slice(end, end + 50));
        if (roleAfter && (last > i || lex || !t.sentStart) && !PLACE_WORDS.has(t.lw)) {
          this.accept(i, undefined, `Name followed by its role ('${roleAfter}')`, 4, false);
          i = last;
          continue;
        }
      }
      // A relative clause about the person: "Tasha, who was 19, ...".
      if (!toks[last].poss && !t.titleLine && lex && /^,\s(?:who|whom|whose)\b/.test(text.slice(end, end + 8)) && !PLACE_WORDS.has(t.lw)) {
        this.accept(i, undefined, `'${text.slice(t.s, end)}' is described as a person`, 3, true);
        i = last;
        continue;
      }
      // Possessive before a relation: "Kaylee's crib", "Emma's stepfather", "Sky's mother".
      if (toks[last].poss && last + 1 < toks.length && (!t.titleLine || lex) && !this.ev.placePrefixed(i)) {
        let j = last + 1;
        if (POSS_ADJ.has(toks[j].lw) && j + 1 < toks.length) j++;
        // "Kingston's Georgia Medicaid member ID": skip a state or programme name before an identifier word.
        for (let k = 0; k < 2 && toks[j].cap && j + 1 < toks.length && ID_NOUNS.has(toks[j + 1].lw === 'medicaid' ? 'medicaid' : toks[j + 1].lw) === false && toks[j + 1].cap; k++) j++;
        if (toks[j].cap && ID_NOUNS.has(toks[j].lw)) {
          this.accept(i, undefined, `Name before '${text.slice(toks[last].e, toks[j].e)}'`, 4, false);
          i = last;
          continue;
        }
        // (Round twenty-one: "Harborview's social work team" is a hospital's department, not a client's worker.)
        const department = /^\s?social\s+work\s+(?:team|unit|department|staff|program|services)\b/i.test(text.slice(toks[j].s - 1, toks[j].s + 40));
        if (!department && !toks[j].cap && (POSS_REL.has(toks[j].lw) || CASE_ROLES.has(roleOf(toks[j].lw) ?? 'age')) && !ORG_SUFFIX_WORDS.has(toks[last].lw)) {
          this.accept(i, undefined, `Name before '${text.slice(toks[last].e, toks[j].e)}'`, 4, false);
          i = last;
          continue;
        }
        // Round twenty-one: a given name's incident, one word between ("Hunter's trampoline fall", "Hope's bathtub burns").
        const incident = toks[j + 1];
        if (!department && lex && !toks[j].cap && incident && !incident.cap && INCIDENT_NOUNS.has(incident.lw) && this.ctx.gap(j + 1) === ' ' && !ORG_SUFFIX_WORDS.has(toks[last].lw)) {
          this.accept(i, undefined, `Name before '${text.slice(toks[last].e, incident.e)}'`, 3, true);
          i = last;
          continue;
        }
      }
      // "Kaysen and his mother".
      if (i + 3 < toks.length && toks[last + 1]?.lw === 'and' && ['his', 'her', 'their'].includes(toks[last + 2]?.lw) && (roleOf(toks[last + 3]?.lw ?? '') || POSS_REL.has(toks[last + 3]?.lw ?? '')) && !t.titleLine) {
        this.accept(i, undefined, `Name paired with '${toks[last + 2].w} ${toks[last + 3].w}'`, 4, false);
        i = last;
        continue;
      }
      // A family by its plural surname: "placed with the Millers", "the Begays' home".
      if (last === i && i > 0 && toks[i - 1].lw === 'the' && /s$/.test(t.lw) && !t.titleLine && (i + 1 >= toks.length || !toks[i + 1].cap)) {
        const stem = t.lw.replace(/(?:es|s)$/, '');
        const stem1 = t.lw.slice(0, -1);
        if (!t.sentStart && [stem, stem1].some((w) => isSurname(w, nlp) && !isPlaceWord(w, nlp))) {
          this.accept(i, undefined, `'${t.w}' names a family by its surname`, 3, true);
          continue;
        }
      }
      // Family surname: "the Harmon family", "Both Wapepah children".
      const nx = last + 1;
      if (nx < toks.length && !toks[nx].cap && FAMILY_NOUNS.has(toks[nx].lw) && this.ctx.gap(nx) === ' ' && (!t.titleLine || lex) && (i > 0 && ['the', 'both', 'all', 'two', 'three', 'four'].includes(toks[i - 1].lw) || this.ev.proper(i))) {
        this.accept(i, undefined, `Looks like a family surname before '${toks[nx].w}'`, 4, false);
        i = last;
        continue;
      }
      // "Abernathy, Kaden": surname, given name in a subject or list line.
      if (last === i && this.ev.proper(i) && /^, $/.test(text.slice(t.eRaw, toks[i + 1]?.s ?? t.eRaw)) && i + 1 < toks.length && isGivenName(toks[i + 1].lw, nlp) && /^\s*(?:$|[—–(\n|]|\s-\s)/.test(text.slice(toks[i + 1].e, toks[i + 1].e + 4))) {
        this.add(t.s, toks[i + 1].e, 'Surname and given name', 3);
        this.words.set(t.lw, t.w);
        i++;
        continue;
      }
      // An unknown proper word as the object of what is done to a person: "the mother found Nakai", "left with Kiona".
      if (!toks[last].poss && !t.titleLine && !t.sentStart && this.ev.proper(i) && i > 0 && PERSON_OBJECT_VERBS.has(toks[i - 1].lw) && this.ctx.gap(i) === ' ') {
        const end2 = this.accept(i, undefined, `'${text.slice(t.s, end)}' is what a person was done to or with`, 3, true);
        i = Math.max(i, end2);
        continue;
      }
      // A list of given names or unknown proper words with ages or a person's verb: "Summer and Autumn, 4 and 6,", "Harmony, Melody and Journey share a bed".
      // (With their ages after them, any capitalised words will do: "Clover and Wren, 3 and 5".)
      if (!t.titleLine && !toks[last].poss) {
        const loose = this.nameList(i, true);
        const strict = isGivenName(t.lw, nlp) || this.ev.proper(i) ? this.nameList(i, false) : [];
        const tailOf = (list: number[]): string => text.slice(toks[list[list.length - 1]].e, toks[list[list.length - 1]].e + 40);
        const members = loose.length >= 2 && AGE_LIST_RE.test(tailOf(loose)) ? loose : strict;
        if (members.length >= 2) {
          const tail = tailOf(members);
          if (LIST_TAIL_RE.test(tail) || PERSON_VERB_RE.test(tail)) {
            for (const k of members) this.accept(k, undefined, `'${toks[k].w}' is one of a list of children or relatives`, 3, true);
            i = members[members.length - 1];
            continue;
          }
        }
      }
      // A given name (even one that is also a word) or an unknown proper word, as the subject of a person's verb.
      if (!toks[last].poss && !t.titleLine && !(i > 0 && toks[i - 1].lw === 'the') && (isGivenName(t.lw, nlp) || this.ev.proper(i)) && PERSON_VERB_RE.test(text.slice(end, end + 40))) {
        const end2 = this.accept(i, undefined, `'${text.slice(t.s, end)}' is the subject of what a person does`, 3, true);
        i = Math.max(i, end2);
        continue;
      }
      if (t.titleLine && !strongGiven) continue;
      // A given name that is not an ordinary word ("Aiden at his checkup"), or two or more proper
      // words that are neither English words nor places ("Brandon Tsosie", "Kou Vang").
      // Two unknown words are not enough ("Seguridad Infantil"): one must be a known given name or surname.
      const properRun = last > i && (this.ev.proper(i) || isGivenName(t.lw, nlp)) && (this.ev.proper(last) || isSurname(toks[last].lw, nlp)) && !COMMON_WORDS.has(toks[last].lw) && (isGivenName(t.lw, nlp) || isSurname(toks[last].lw, nlp) || isGivenName(toks[last].lw, nlp));
      // A word that is no English word, no place and no known name, followed by another capitalised
      // word, in a sentence about a person of the case: "Kiona Silversmith missed two visits".
      // Not inside a longer Title Case phrase ("the Maternal Opioid Misuse (MOM) model").
      const titlePhrase = (i > 0 && toks[i - 1].cap && !t.sentStart && this.ctx.gap(i) === ' ') || /^\s?\([A-Z]{2,8}\)/.test(text.slice(end, end + 12));
      const cueRun = !titlePhrase && last > i && this.ev.proper(i) && this.ev.nameShaped(last) && PERSON_CUE_RE.test(`${this.ctx.before(t.s, 200)} ${this.ctx.after(t.s, 200)}`);
      if (strongGiven || properRun || cueRun) {
        const end2 = this.accept(i, undefined, strongGiven ? `'${t.w}' is a common given name` : `'${text.slice(t.s, end)}' looks like a person's name`, 2, true);
        i = Math.max(i, end2);
      }
    }
  }

  /** Marks other occurrences of names found elsewhere in the notice. */
  propagate(known: Map<string, string>): void {
    const toks = this.ctx.toks;
    // Found names in order of position, walked with a pointer (tokens come in order too).
    const spans = this.cands.map((c) => [c.start, c.end]).sort((a, b) => a[0] - b[0]);
    let p = 0;
    let coveredTo = -1;
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i];
      while (p < spans.length && spans[p][0] <= t.s) coveredTo = Math.max(coveredTo, spans[p++][1]);
      if (!t.cap || t.allCaps || !known.has(t.lw)) continue;
      if (coveredTo >= t.e) continue;
      if (this.ev.orgFollows(i) || this.ev.placePrefixed(i)) continue;
      if (t.sentStart && COMMON_WORDS.has(t.lw)) continue;
      this.add(t.s, t.e, `Same name as found elsewhere in the notice ('${known.get(t.lw)}')`, 3);
    }
  }
}

