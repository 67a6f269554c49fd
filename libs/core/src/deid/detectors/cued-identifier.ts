/**
 * Identifier-shaped values after any identifier cue, in English or Spanish ("Member ID: ZGP914400372",
 * "member number 881204420", "ID: UHC-928477615", "#3304-17-0088", "afiliado núm. 55120934"). The
 * kind-specific detectors know their programmes' and systems' names; unseen texts keep naming new
 * ones, so here the cue word and the value's shape are enough. A value beside health-plan words is
 * reported as a Medicaid ID, any other as a case or person identifier. Not: citations (§, rule,
 * statute, form, publication), product numbers with a product word near, phone lines.
 */
import { Candidate, candidate, matches } from '../detector';
import { DeidKind } from '../kinds';
import { isIdentifierValue } from '../labelled-values';
import { ScanContext } from '../text-context';
import { patternOf } from './identifier-shapes';
import { ofPublicSeries } from './public-explanations';
import { NOTICE_REFERENCE_RE, PUBLIC_PREFIX_RE } from './public-numbers';

const CUE = String.raw`(?:member|miembro|afiliad[oa]|beneficiari[oa]|recipient|subscriber|client|cliente|account|cuenta|folio|ID|I\.D\.|identificaci[óo]n|identifier|number|n[úu]mero|num\.?|n[úu]m\.?|nbr\.?|no\.|nº|#)`;
const FILLER = String.raw`(?:\s{0,3}(?:ID|I\.D\.|number|n[úu]mero|no\.|n[úu]m\.?|de|del|is|was|es|:|#|=))*`;
/** A run of letters and digits of 6+ characters with 4+ digits, or digit groups of 6+ digits in all. */
const VALUE = String.raw`(?:[A-Z]{1,5}-?\d[\dA-Z]{1,18}|-?\d[\dA-Z]{2,18})(?:[-\s]\d{2,8}){0,3}`;
const CUED_RE = new RegExp(String.raw`(?<![\w-])${CUE}${FILLER}\s{0,3}(?<val>${VALUE})(?![\w-]|[.,]\d)`, 'gi');
/** Public numbers: citations, forms, publications, products, phones. */
const PUBLIC_BEFORE_RE =
  /(?:§|\b(?:section|sec|statute|code|rule|rules|regulation|chapter|title|CFR|U\.S\.C|USC|form|forms|formulario|publication|pub|bulletin|policy|memo|bill|HB|SB|law|ley|model|modelo|lot|lote|serial|sku|upc|item|product|producto|batch|recall|catalog|part|phone|tel[ée]fono|tel|fax|call|llame|line|l[ií]nea|hotline|ext|extension|ISBN|DOI|NDC|NPI|EIN|grant|contract|order|invoice|tracking|confirmation|meeting|conference|passcode|subaward|subgrant|safety\s+alert|version|page|room|suite|table|step|resolution|ordinance|course|class|training|webinar|fleet|vehicle|van|truck|bus|asset|equipment|inventory|store|notice|award|(?:news|press)\s+release|release\s+(?:no|#|number)|auditor|audit|NTSB|CDC|MMWR|GAO|OIG)\b)[^.;\n]{0,25}$/i;
const PRODUCT_AFTER_RE = /^[^.;\n]{0,30}\b(?:model|lot|cans?|bottles?|units?|crib|car\s+seat|stroller|formula|product)\b/i;
const HEALTH_RE = /\b(?:medicaid|health|salud|plan|insurance|insurer|seguro|card|tarjeta|pharmacy|farmacia|prescriptions?|rx|coverage|managed\s+care|HMO|member)\b/i;

/** Run by the case-number detector; its findings are case numbers or Medicaid IDs. */
export function cuedIdentifiers(ctx: ScanContext): Candidate[] {
  const text = ctx.text;
  const out: Candidate[] = [];
  const cued: Array<{ kind: DeidKind; start: number; end: number; cue: string }> = [];
  // Round eighteen: a value written like a public one of the same field is public too ("Fleet vehicle
  // #CW-2214 is out; book #CW-2215 or #CW-2231"), unless a person's word stands right before it.
  const publicPatterns = new Set<string>();
  for (const m of matches(CUED_RE, text)) {
    const val = (m.groups?.val ?? '').trimEnd();
    const start = m.index + m[0].length - (m.groups?.val ?? '').length;
    const end = start + val.length;
    const digits = val.replace(/\D/g, '').length;
    if (digits < 4 || val.replace(/[\s-]/g, '').length < 6 || (digits < 6 && !/[A-Z]/i.test(val))) continue;
    if (PUBLIC_PREFIX_RE.test(val) || NOTICE_REFERENCE_RE.test(val) || !isIdentifierValue(ctx, start, end, { minDigits: 4 })) continue;
    if (PUBLIC_BEFORE_RE.test(ctx.before(m.index, 40)) || PRODUCT_AFTER_RE.test(text.slice(end, end + 40))) {
      publicPatterns.add(patternOf(val));
      continue;
    }
    const sentence = ctx.before(start, 120).split(/[.!?]\s|\n/).pop() + text.slice(end, end + 60).split(/[.!?]\s|\n/)[0];
    const kind = HEALTH_RE.test(sentence) && !/^#/.test(m[0]) ? 'medicaid_id' : 'case_number';
    cued.push({ kind, start, end, cue: m[0].slice(0, m[0].length - val.length).trim() });
  }
  for (const c of cued) {
    if (ofPublicSeries(publicPatterns, text.slice(c.start, c.end), ctx.before(c.start, 40))) continue;
    out.push(candidate(c.kind, c.start, c.end, `Identifier-shaped value after '${c.cue}'`, 1));
  }
  return out;
}
