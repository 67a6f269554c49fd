/**
 * vehicle_id: a licence plate or a VIN of a vehicle tied to the family or incident — after a plate
 * word ("plate 7KJX221", "Ohio tag HJK-4821", "registration DV 83317"), after a state name in a
 * sentence about a vehicle ("New Mexico BHKR-22"), in apposition to a vehicle ("the silver Camry,
 * 8MNW417,"), or a 17-character VIN. Not: makes and models, recall campaign or model numbers.
 */
import { Candidate, candidate, DeidDetector, matches } from '../detector';
import { US_STATE_NAMES_RE_SRC } from '../lexicon/places';
import { ScanContext } from '../text-context';

const VIN_CUE_RE = /\b(?:VIN|V\.I\.N\.|vehicle\s+identification\s+(?:number|no\.?))(?:\s{0,3}(?:number|no\.?|#|:|was|is|ending\s+in|ends\s+in|ending|\(last\s+\w+\)|last\s+\w+(?:\s+digits)?))*\s{0,3}(?<val>[A-Z0-9]{17}|[A-Z0-9]{5,12}[ -][A-Z0-9]{5,12}|\d{4,8})(?![\w-])|\blast\s+(?:four|five|six|eight|4|5|6|8)(?:\s+(?:digits|characters))?\s+of\s+the\s+VIN\s{0,2}[:(,]?\s{0,2}(?:(?:is|was|are|were)\s+)?(?<val2>\d{4,8})\b/g;
const VIN_RE = /(?<![\w-])[A-HJ-NPR-Z0-9]{17}(?![\w-])/gi;
/** A plate word in any case, then a plate-shaped value in any case ("nj plate p47-hdl", "TAG# kbx 4471"). */
const ANY_CASE_PLATE_RE = /(?<![\p{L}])(?:plates?|tags?|placas?|matr[íi]culas?|tablillas?|chapas?|patentes?)(?:\s{1,3}(?:number|no\.?|#|reading|reads|was|is|of|read|n[úu]mero|de|del|con))*\s{0,3}[:#,(]?\s{0,3}(?<val>[a-z0-9]{1,4}(?:-[a-z0-9]{1,5}(?:-[a-z0-9]{1,4})?|[ ]?[a-z0-9]{1,5})?)(?![\p{L}\p{N}_-])/giu;
const PLATE = String.raw`[A-Z0-9]{1,4}(?:[- ]?[A-Z0-9]{1,7})?`;
const PLATE_CUE_RE = new RegExp(
  String.raw`\b(?:(?:${US_STATE_NAMES_RE_SRC})\s{1,3})?(?:(?:[Ll]icen[cs]e|[Rr]egistration|[Vv]anity|[Tt]emporary|[Tt]emp|[Pp]aper)\s{1,3})?(?:[Pp]lates?|[Tt]ags?|[Rr]egistration)(?:\s{1,3}(?:number|no\.?|#|reading|reads|was|is|of))?\s{0,3}[:#,(]?\s{0,3}(?:(?:${US_STATE_NAMES_RE_SRC})\s{1,3})?(?<val>${PLATE})(?![\w-])`,
  'g',
);
/**
 * A plate word, then up to three words naming where it is from, then a value of capitals and
 * digits ("Placas de Chihuahua EFR-33-01", "plates out of Baja BC 4471-KX", "tablilla de PR JKL-201").
 */
const DISTANT_PLATE_RE = /(?<![\p{L}])(?:[Pp]lates?|PLATES?|[Pp]lacas?|PLACAS?|[Mm]atr[íi]culas?|[Tt]ablillas?|[Pp]atentes?)(?:\s{1,3}(?:from|out\s+of|of|de|del|in|en|registered\s+in|[\p{Lu}][\p{L}.]*)(?![\p{L}\p{N}-])){1,4}\s{0,3}[:#,(]?\s{0,3}(?<val>(?=[A-Z0-9-]*[A-Z])(?=[A-Z0-9-]*\d)[A-Z0-9]{1,4}(?:-[A-Z0-9]{1,5}){0,2}|[A-Z0-9]{2,4} [A-Z0-9]{2,5})(?![\p{L}\p{N}_-])/gu;
const STATE_PLATE_RE = new RegExp(String.raw`\b(?:${US_STATE_NAMES_RE_SRC})\s{1,3}(?<val>${PLATE})(?![\w-])`, 'g');
const APPOSITION_RE = new RegExp(String.raw`(?:,|\()\s{0,2}(?<val>${PLATE})\s{0,2}(?:,|\)|;|\.(?:\s|$))`, 'g');
export const VEHICLE_WORD_RE =
  /\b(?:car|cars|truck|pickup|van|minivan|SUV|sedan|coupe|hatchback|wagon|vehicle|auto|motorcycle|jeep|Camry|Corolla|Civic|Accord|Odyssey|Sienna|Caravan|Tahoe|Silverado|Impala|Malibu|Altima|Sentra|Explorer|Escape|Focus|Charger|Ram|Elantra|Sonata|Rogue|Equinox|Honda|Toyota|Ford|Chevy|Chevrolet|Nissan|Hyundai|Kia|Dodge|Jeep|GMC|Subaru|Mazda|Buick|Chrysler|Volkswagen|VW|Tesla)\b/i;
const NOT_A_PLATE_BEFORE_RE = /\b(?:model|lot|item|recall|campaign|part|sku|upc|style|serial|catalog|form|policy|rule|section|case|report|referral|docket|ID|number)\s*(?:no\.?|number|#)?\s*[:#(,]?\s*$/i;

/** Plate-shaped: 4–8 letters and digits, at least one digit, not a year or a plain small number. */
function plateShaped(val: string): boolean {
  const alnum = val.replace(/[- ]/g, '');
  if (alnum.length < 4 || alnum.length > 8) return false;
  const digits = alnum.replace(/\D/g, '').length;
  const letters = alnum.length - digits;
  if (digits === 0) return false;
  if (letters === 0) return digits >= 5 && digits <= 7;
  return !/^(?:19|20)\d\d$/.test(alnum);
}

const AGENCY_VEHICLE_AFTER_RE = /^\s+(?:is|was)\s+(?:the|our)\s+(?:agency|county|department|program|shelter|district|state|tribe|unit)['’]s\s+(?:[\w-]+\s+){0,2}(?:van|car|truck|vehicle|bus|suv)\b/i;
const PRODUCT_COLUMN_RE = /^(?:model|models|lot|lots|lot\s+no|sku|upc|item|part|serial|product|recall\s+no)\.?$/i;

export const vehicleIdDetector: DeidDetector = {
  kind: 'vehicle_id',
  detect(ctx: ScanContext): Candidate[] {
    const text = ctx.text;
    const out: Candidate[] = [];
    const push = (start: number, val: string, reason: string): void => {
      if (!plateShaped(val)) return;
      // Round twenty-three: a product's model or lot under its column ("product,model,lot" then "car seat,CS-4410,L2309B").
      const placed = ctx.placementOf(start);
      if (placed && PRODUCT_COLUMN_RE.test(placed.header)) return;
      // Round twenty-nine: a government fleet's exempt plate, or a plate the text calls the agency's vehicle.
      if (/\bexempt\s+(?:plate|tag)s?\s*#?\s*$/i.test(text.slice(Math.max(0, start - 20), start)) || AGENCY_VEHICLE_AFTER_RE.test(text.slice(start + val.length, start + val.length + 60))) {
        ctx.clear(start, start + val.length);
        return;
      }
      out.push(candidate('vehicle_id', start, start + val.length, reason));
    };
    for (const m of matches(VIN_RE, text)) {
      const v = m[0];
      const digits = v.replace(/\D/g, '').length;
      if (digits < 5 || digits > 15) continue;
      out.push(candidate('vehicle_id', m.index, m.index + 17, 'Looks like a vehicle identification number (VIN)'));
    }
    // "VIN 1FTFW1ET5DFC1O312" (any letters), "VIN ending in 004352", "last six of the VIN: 004352".
    for (const m of matches(VIN_CUE_RE, text)) {
      const val = m.groups?.val ?? m.groups?.val2 ?? '';
      // A VIN written in two pieces ("5NPE24AF8FH 073318") still has seventeen characters.
      if (/[ -]/.test(val) && val.replace(/[ -]/g, '').length !== 17) continue;
      const at = m.index + m[0].lastIndexOf(val);
      out.push(candidate('vehicle_id', at, at + val.length, 'Vehicle identification number (or its last digits)'));
    }
    for (const m of matches(PLATE_CUE_RE, text)) {
      const val = m.groups?.val ?? '';
      const at = m.index + m[0].length - val.length;
      // Round fifteen: a vanity plate may be letters only ("vanity plate BBYONBRD").
      if (/^[Vv]anity\s/.test(m[0]) && /^[A-Z]{4,8}$/.test(val.replace(/[- ]/g, ''))) out.push(candidate('vehicle_id', at, at + val.length, 'Vanity licence plate of a vehicle'));
      else push(at, val, 'Licence plate of a vehicle');
    }
    for (const m of matches(ANY_CASE_PLATE_RE, text)) {
      const val = m.groups?.val ?? '';
      if (!/[a-z]/i.test(val) || !/\d/.test(val)) continue; // "plate 2024", "tags on the crib" are not plates
      push(m.index + m[0].length - val.length, val, 'Licence plate of a vehicle');
    }
    const vehicleSentence = (at: number): boolean => VEHICLE_WORD_RE.test(ctx.before(at, 160)) || VEHICLE_WORD_RE.test(ctx.after(at, 60));
    for (const m of matches(DISTANT_PLATE_RE, text)) {
      const val = m.groups?.val ?? '';
      const at = m.index + m[0].length - val.length;
      // An English "plate" may be a dish or a part: it needs a vehicle in the sentence, and no model or lot word before the value.
      const english = /^plates?$/i.test(m[0].split(/\s/)[0]);
      if (NOT_A_PLATE_BEFORE_RE.test(text.slice(m.index, at)) || (english && !vehicleSentence(at))) continue;
      push(at, val, 'Licence plate of a vehicle');
    }
    for (const m of matches(STATE_PLATE_RE, text)) {
      const val = m.groups?.val ?? '';
      const at = m.index + m[0].length - val.length;
      if (/[A-Z]/.test(val) && vehicleSentence(at)) push(at, val, 'Licence plate after a state name, in a sentence about a vehicle');
    }
    for (const m of matches(APPOSITION_RE, text)) {
      const val = m.groups?.val ?? '';
      const at = m.index + m[0].indexOf(val);
      if (!/[A-Z]/.test(val) || NOT_A_PLATE_BEFORE_RE.test(ctx.before(m.index, 30))) continue;
      if (VEHICLE_WORD_RE.test(ctx.before(m.index, 40))) push(at, val, 'Licence plate given beside the vehicle');
    }
    return out;
  },
};
