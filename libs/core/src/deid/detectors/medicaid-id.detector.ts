/**
 * medicaid_id: a Medicaid member or recipient number, under the federal name or a state
 * programme's (Medi-Cal, MassHealth, SoonerCare, AHCCCS, TennCare, ProviderOne, CIN, PMI...),
 * in one piece or in spaced groups. Not: waivers and sections (1915(c)), billing codes, bare mentions.
 */
import { Candidate, candidate, DeidDetector, matches } from '../detector';
import { valuesAfterLabels, valuesUnderHeaders } from '../labelled-values';
import { ScanContext } from '../text-context';

const PROGRAMMES = [
  'Medicaid', 'Medi-Cal', 'MediCal', 'MassHealth', 'SoonerCare', 'AHCCCS', 'TennCare', 'BadgerCare', 'HUSKY', 'KanCare', 'MaineCare',
  'Apple Health', 'ProviderOne', 'CHIP', 'CIN', 'PMI', 'MO HealthNet', 'NJ FamilyCare', 'PeachCare', 'Healthy Louisiana', 'Medical Assistance',
  'MA', 'Healthy Connections', 'Hoosier Healthwise', 'Centennial Care', 'Texas Health Steps', 'STAR Kids', 'STAR Health', 'DentaQuest', 'Molina',
  'Medicaid/CHIP', 'Dr. Dynasaur', 'Denali KidCare', 'Nevada Check Up', 'MinnesotaCare', 'Healthy Kids', 'Title XIX',
  'Med ID', 'Medical ID', 'Mcaid', 'Medical card', 'Medicaid card',
  // Round nine: more states' programmes, and the short forms clerks write.
  'Plan Vital', 'Mi Salud', 'Oregon Health Plan', 'OHP', 'Health First Colorado', 'CHP+', 'Healthy Michigan', 'Healthy Indiana Plan', 'IHCP',
  'ARKids First', 'ARKids', 'All Kids', 'AllKids', 'Med-QUEST', 'LaCHIP', 'KCHIP', 'MIChild', 'ForwardHealth', 'HealthChoice', 'Diamond State',
  'FAMIS', 'Cover Virginia', 'SCHIP', 'Hawki', 'DC Healthy Families', 'Georgia Families', 'Passport', 'Medicaid de Puerto Rico', 'MCD', 'MDCD',
];
/** A programme's name as people write it: its inner capitals may start a new word ("Sooner Care", "Tenn-Care", "Mass Health"). */
const escape = (s: string): string =>
  s
    .replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')
    .replace(/ /g, '\\s{1,3}')
    .replace(/([a-z])([A-Z])/g, '$1[\\s-]?$2');
const KW = PROGRAMMES.sort((a, b) => b.length - a.length).map(escape).join('|');
const GAP_WORD = String.raw`(?:[*_]{1,2}|\)|ID\b|I\.D\.|identification\b|number\b|no\.|nos?\b|#|card\b|recipient\b|member\b|client\b|beneficiary\b|subscriber\b|is\b|was\b|:|,|\(|CIN\b|for\b|of\b|the\b|child(?:['’]s)?\b|infant(?:['’]s)?\b|baby(?:['’]s)?\b|youth(?:['’]s)?\b|mother(?:['’]s)?\b|father(?:['’]s)?\b|lists\b|listed\b|shows\b|reads\b|as\b)`;
const VALUE = String.raw`[A-Z0-9](?:[A-Z0-9-]{4,19}|\d{2,5}(?: \d{2,5}){1,3})`;
const MEDICAID_RE = new RegExp(String.raw`(?<![\w-])(?<kw>${KW})\b(?<gap>(?:\s{0,3}${GAP_WORD}){0,6})\s{0,3}#?\s{0,2}(?<val>${VALUE})(?![\w-])`, 'gi');
/** A programme's name (not the ambiguous ones) then, within a few words, a long ID-shaped value or a list of them. */
const PROGRAMME_RE = new RegExp(String.raw`(?<![\w-])(?:${PROGRAMMES.filter((p) => !['MA', 'CHIP', 'CIN', 'PMI', 'Molina', 'Healthy Kids', 'Title XIX', 'Medical Assistance'].includes(p)).sort((a, b) => b.length - a.length).map(escape).join('|')})\b`, 'g');
const STOP_RE = /\b(?:contracts?|grants?|waivers?|amendments?|invoices?|solicitations?|RFP|tribal|enrollment|census|cdib|ssn|social\s+security|case|docket|referral|report|phone|cell|plate|waiver|section|claims?\s+(?:totall?ing|of)|paid|spent|budget|rate)\b/i;
const MARKER_RE = /#|\bno\.|\bnos?\b|\bnumber\b|\bid\b|i\.d\.|\bidentification\b|\bcard\b|\bcin\b|\brecipient\b|\bmember\b|\bclient\b|\bbeneficiary\b|\bsubscriber\b/i;
/** Programme names that are also ordinary abbreviations need a marker word. */
const AMBIGUOUS = new Set(['ma', 'chip', 'cin', 'pmi', 'molina', 'healthy kids', 'title xix', 'ohp', 'passport', 'famis', 'mcd', 'mdcd', 'all kids', 'schip']);
/** A programme's ID named with a marker ("Medicaid ID", "CHIP number"), its value further on in the clause. */
const MARKED_PROGRAMME_RE = new RegExp(String.raw`(?<![\w-])(?:${KW})\s{0,3}(?:ID|I\.D\.|number|no\.|#|card|member\s+(?:ID|number))\b`, 'gi');
/** A table column or a list headed by a programme's name or a health-plan ID. */
const HEADER_RE = new RegExp(String.raw`(?:^|[^\w-])(?:${KW}|health\s+plan|member\s+ID|plan\s+ID)(?:$|[^\w-])`, 'i');

export const medicaidIdDetector: DeidDetector = {
  kind: 'medicaid_id',
  detect(ctx: ScanContext): Candidate[] {
    const text = ctx.text;
    const out: Candidate[] = [];
    for (const m of matches(MEDICAID_RE, text)) {
      const g = m.groups ?? {};
      const val = g.val;
      if (!/^[A-Z0-9][A-Z0-9 -]*$/.test(val)) continue;
      const digits = val.replace(/\D/g, '').length;
      if (digits < 4 || /^(?:19|20)\d\d$/.test(val)) continue;
      const kw = g.kw.toLowerCase().replace(/\s+/g, ' ');
      const gap = g.gap ?? '';
      const marked = MARKER_RE.test(gap) || kw === 'cin' || kw === 'pmi';
      // An ambiguous name ("CHIP", "MCD") with no marker still counts before a long run of digits alone.
      const longNumber = digits >= 8 && /^\d+$/.test(val) && !gap.trim();
      if (!marked && !longNumber && (digits < 8 || AMBIGUOUS.has(kw))) continue;
      if (AMBIGUOUS.has(kw) && kw !== 'cin' && kw !== 'pmi' && !MARKER_RE.test(gap) && !longNumber) continue;
      if (text[m.index + m[0].length] === '(') continue; // 1915(c)-style section numbers
      const start = m.index + m[0].length - val.length;
      out.push(candidate('medicaid_id', start, start + val.length, `Number after '${g.kw}${gap.replace(/\s+/g, ' ').trimEnd()}' looks like a Medicaid ID`));
    }
    // "Medi-Cal BIC 91234567A95001", "ProviderOne client IDs (100012345WA, 100012346WA)".
    for (const v of valuesAfterLabels(ctx, PROGRAMME_RE, { minDigits: 6, maxGap: 30, stopWords: STOP_RE })) {
      out.push(candidate('medicaid_id', v.start, v.end, `Number after '${v.label}' looks like a Medicaid ID`));
    }
    // "the Medicaid ID printed on the placement letter, 88204417631": a long value further on in the clause.
    for (const v of valuesAfterLabels(ctx, MARKED_PROGRAMME_RE, { minDigits: 8, maxGap: 60, stopWords: STOP_RE })) {
      out.push(candidate('medicaid_id', v.start, v.end, `Number after '${v.label}' looks like a Medicaid ID`));
    }
    for (const v of valuesUnderHeaders(ctx, HEADER_RE, { minDigits: 6 })) {
      out.push(candidate('medicaid_id', v.start, v.end, `Number under the heading '${v.label.trim().slice(0, 30)}' looks like a Medicaid ID`));
    }
    return out;
  },
};
