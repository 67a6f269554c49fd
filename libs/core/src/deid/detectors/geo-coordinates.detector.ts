/**
 * geo_coordinates: latitude/longitude (decimal, degrees-minutes-seconds, degrees-decimal-minutes,
 * GeoJSON [lon, lat]), plus codes and what3words addresses of a home or incident scene. Not:
 * coordinates of a public place named as a hazard (a boat ramp, a river crossing, a public beach).
 */
import { Candidate, candidate, DeidDetector, matches } from '../detector';
import { isEnglishWord } from '../lexicon/dictionary';
import { ScanContext } from '../text-context';

const DEC = String.raw`[-−]?\d{1,3}\.\d{3,8}`;
const DECIMAL_PAIR_RE = new RegExp(String.raw`(?<![\w.])\[?\s?(?:lat(?:itude)?\.?:?\s{1,2})?(?<a>${DEC})\s?°?\s?(?<h1>[NSEW])?\s{0,2}[,;/ ]\s{0,2}(?:long?(?:itude)?\.?:?\s{1,2})?(?<b>${DEC})\s?°?\s?(?<h2>[NSEW])?\]?(?![\w]|\.\d)`, 'g');
/** Labelled latitude and longitude, at any precision: "lat 35.48, long -97.51". */
const LAT_LONG_RE = /\blat(?:itude)?\.?:?\s{0,2}[-−]?\d{1,2}\.\d{1,8}\s?°?\s?[NS]?[,;]?\s{0,3}(?:long?(?:itude)?|lng)\.?:?\s{0,2}[-−]?\d{1,3}\.\d{1,8}\s?°?\s?[EW]?/gi;
/** Round six: keys and values, as JSON and query strings write them: "lat": 33.41, "lng": -111.83; lat=33.41&lon=-111.83. */
const KEYED_RE = /["']?\blat(?:itude)?["']?\s{0,2}[:=]\s{0,2}["']?[-−]?\d{1,2}\.\d{2,8}["']?\s{0,2}[,;&]\s{0,2}["']?(?:lng|lon|long|longitude)["']?\s{0,2}[:=]\s{0,2}["']?[-−]?\d{1,3}\.\d{2,8}["']?/gi;
const DMS = String.raw`\d{1,3}\s?°\s?\d{1,2}(?:\.\d{1,4})?\s?['′’]\s?(?:\d{1,2}(?:\.\d{1,4})?\s?(?:["″”]|['′’]{2}))?`;
/** Round eighteen: degrees and minutes with no degree sign, the hemispheres written ("58 21'N 134 35'W"). */
const DM_NO_DEGREE_RE = /(?<![\w.])\d{1,2}\s\d{1,2}(?:\.\d{1,4})?['′’]\s?[NS],?\s{1,3}\d{1,3}\s\d{1,2}(?:\.\d{1,4})?['′’]\s?[EW](?![\w])/g;
const DMS_PAIR_RE = new RegExp(String.raw`(?<![\w])(?:[NS]\s?)?${DMS}\s?[NS]?\s{0,2},?\s{0,3}(?:[EW]\s?)?${DMS}\s?[EW]?`, 'g');
const PLUS_CODE_RE = /(?<![\w+])(?:[23456789CFGHJMPQRVWX]{8}\+[23456789CFGHJMPQRVWX]{2,3}|[23456789CFGHJMPQRVWX]{4}\+[23456789CFGHJMPQRVWX]{2,3}(?:,?\s[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)?)(?![\w+])/g;
const W3W_RE = /(?<![\w/])\/\/\/[a-z]{2,20}\.[a-z]{2,20}\.[a-z]{2,20}\b/g;
/** Three lower-case words joined by dots, a what3words address without its slashes ("crate.hopping.silver"). */
const W3W_BARE_RE = /(?<![\w/.@-])[a-z]{3,20}\.[a-z]{3,20}\.[a-z]{3,20}(?![\w@/-]|\.\w)/g;
const W3W_LABEL_RE = /\b(?:w3w|what\s?3\s?words|three\s+words)\b[^.\n]{0,20}$|\b(?:at|location|pin|pinned|dropped|scene|spot|address|coordinates?|gps)\s*:?\s*$/i;
/** Degrees and minutes run together with the hemisphere letters, as pilots and rangers write them ("3558N 10604W"). */
const COMPACT_DM_RE = /(?<![\w.])(?<a>\d{4}(?:\.\d{1,3})?)\s?[NS][\s,/]{1,3}(?<b>\d{5}(?:\.\d{1,3})?)\s?[EW](?![\w])/g;
/** A grid reference: "UTM 12T 0418921E 4826410N", "UTM zone 14, 634512 mE 3891234 mN". */
const UTM_RE = /\bUTM\s{1,2}(?:zone\s{1,2})?\d{1,2}\s?[C-HJ-NP-X]?,?\s{1,2}\d{6,7}\s?m?\s?E,?\s{1,2}\d{7}\s?m?\s?N\b/gi;
/** "(public plus code 4RJW+2C)", a county's centroid: the coordinates themselves are called public. */
const CALLED_PUBLIC_RE = /\b(?:public|centroid|county\s+seat|geographic\s+cent(?:er|re))\b[^.;\n]{0,20}$/i;
const PUBLIC_PLACE_NOUN = String.raw`(?:Memorial|Academy|Center|Centre|Capitol|Park|Museum|Monument|Library|Hall|Stadium|Arena|Fairgrounds|Courthouse|Hospital|School|College|University|Station|Headquarters|Complex|Plaza)`;
const NAMED_PUBLIC_BEFORE_RE = new RegExp(
  String.raw`\b(?:[A-Z][\w'’.-]+\s){1,5}${PUBLIC_PLACE_NOUN}(?:\s+(?:grounds|welcome\s+center|visitor\s+center|parking\s+lot|entrance|lobby))?\s{0,2}[,(:]?\s{0,2}$` +
    // Round twenty-five: a named mountain or landmark in parentheses' lead ("from Mount Rushmore (43.8791° N, ...)").
    String.raw`|\b(?:Mount|Mt\.)\s(?:[A-Z][\w'’.-]+\s?){1,3}\s{0,2}[,(:]\s{0,2}$`,
);
const LOCATION_LINE_ABOVE_RE = /(?:^|\n)[\s*-]*(?:location|site|venue|where|meeting\s+point|muster\s+point|staging\s+area)\s*:\s*([^\n]+)\n[^\n]*$/i;
/** Round eighteen: the same, in parentheses right after the pair ("36.1540, -95.9928 (Tulsa Fire Station 1)"). */
const NAMED_PUBLIC_AFTER_RE = new RegExp(String.raw`^\s{0,2}\((?:[A-Z][\w'’.-]+\s){1,5}${PUBLIC_PLACE_NOUN}(?:\s+#?\d{1,3})?(?:\s+(?:grounds|parking\s+lot|entrance|lobby))?\)`);
const PUBLIC_PLACE_RE =
  /\b(?:boat\s+ramp|ramp|river\s+crossing|low-water\s+crossing|crossing|public\s+(?:beach|access|park|boat|landing|dock)|trailhead|state\s+park|county\s+park|city\s+park|bridge|dam|spillway|swimming\s+hole|quarry|access\s+point|landing|marina|campground|park|parks|fairgrounds?|main\s+gate|gate|office|offices|headquarters|HQ|courthouse|library|plaza|downtown|parking|event|events|open\s+to\s+the\s+public|public|lake|river|pond|lot\s+[A-Z]\b|parque|playa|plaza|feria|entrada|oficina|evento|centro|station|fire\s+station|hospital|school|church|museum|zoo|stadium|arena|pool|playground|campus|mall|shelter|site|drop-?off|launch|trail|falls|springs|canyon|monument|memorial|arch|capitol|dome|grounds|landmark|building|administration|complex|statue|tower|waterfront|lakefront|riverfront|convention|amphitheat(?:er|re)|pier|harbou?r|port|airport|terminal|interstate|mile\s+marker|exit|rest\s+area|intersection|overpass|center|centre|clinic|hall|visitor|safe\s+haven|baby\s+box|hotspot|hazard|warning|signs?|venue|booth|tent|staging|registration|check-?in|meeting\s+point|muster|evacuation|cooling|warming|distribution)\b/i;
const PRIVATE_RE = /\b(?:kid['’]s|kids(?=['’])|children['’]s|capsized|overturned|single-wide|double-wide|mobile\s+home|cabin|shack|camp\s*site|campsite|motel|hotel|home|(?<!chapter\s|meeting\s)house|residence|residential|family|family['’]s|apartment|duplex|trailer|backyard|yard|private|scene|where\s+the\s+(?:child|infant|baby|toddler|boy|girl|family|victim|body)|found|incident|driveway|bedroom|dwelling|lives|lived|stays|casa|hogar|vivienda|domicilio|encontrad[oa]|escena|farm|ranch|property|camper|pinged|ping|last\s+seen|911|caller|suspect|victim|mother|father|mom|dad|parents?|grandparents?|grandmother|grandfather|grandma|grandpa|aunt|uncle|boyfriend|girlfriend|child['’]s|infant|baby(?!\s+box)|toddler|his|her|their)\b/i;

export const geoCoordinatesDetector: DeidDetector = {
  kind: 'geo_coordinates',
  detect(ctx: ScanContext): Candidate[] {
    const text = ctx.text;
    const out: Candidate[] = [];
    const publicPlace = (start: number, end: number): boolean => {
      const before = ctx.before(start, 120);
      if (CALLED_PUBLIC_RE.test(before)) return true;
      // Round sixteen: a named public place right before the pair ("the Crazy Horse Memorial welcome center, 43.83, -103.62").
      if (NAMED_PUBLIC_BEFORE_RE.test(before) && !/\b(?:his|her|their|family['’]s|lives|lived|living|home|house|trailer|found|behind|next\s+to|across\s+from)\b/i.test(before)) return true;
      // Round twenty: a form's "Location:" line right above names the place ("Location: Lake Murray State Park boat ramp\nCoordinates: ...").
      const location = LOCATION_LINE_ABOVE_RE.exec(text.slice(Math.max(0, start - 200), start));
      if (location && PUBLIC_PLACE_RE.test(location[1]) && !PRIVATE_RE.test(location[1])) return true;
      if (NAMED_PUBLIC_AFTER_RE.test(text.slice(end, end + 80)) && !/\b(?:his|her|their|family['’]s|lives|lived|living|home|house|found)\b/i.test(before)) return true;
      const around = `${before} ${ctx.after(end, 120)}`;
      return PUBLIC_PLACE_RE.test(around) && !PRIVATE_RE.test(around);
    };
    const add = (start: number, end: number, reason: string): void => {
      if (!publicPlace(start, end)) out.push(candidate('geo_coordinates', start, end, reason));
      else ctx.clear(start, end); // an office's or an event's: the token model may not re-add it
    };
    for (const m of matches(DECIMAL_PAIR_RE, text)) {
      const g = m.groups ?? {};
      const a = Math.abs(Number(g.a.replace('−', '-')));
      const b = Math.abs(Number(g.b.replace('−', '-')));
      if (!((a <= 90 && b <= 180) || (a <= 180 && b <= 90))) continue;
      if (Math.max(a, b) < 10) continue; // "1.2345, 2.3456": version numbers and measurements, not a place
      add(m.index, m.index + m[0].length, 'Latitude and longitude of a place');
    }
    for (const m of matches(KEYED_RE, text)) add(m.index, m.index + m[0].length, 'Latitude and longitude of a place');
    for (const m of matches(LAT_LONG_RE, text)) add(m.index, m.index + m[0].length, 'Latitude and longitude of a place');
    for (const m of matches(DMS_PAIR_RE, text)) add(m.index, m.index + m[0].length, 'Coordinates in degrees and minutes');
    for (const m of matches(DM_NO_DEGREE_RE, text)) add(m.index, m.index + m[0].length, 'Coordinates in degrees and minutes');
    for (const m of matches(PLUS_CODE_RE, text)) {
      if (!/\d/.test(m[0]) || !/[A-Z]/.test(m[0])) continue;
      add(m.index, m.index + m[0].length, 'Plus code of a location');
    }
    for (const m of matches(W3W_RE, text)) add(m.index, m.index + m[0].length, 'what3words address of a location');
    for (const m of matches(W3W_BARE_RE, text)) {
      const labelled = W3W_LABEL_RE.test(text.slice(Math.max(0, m.index - 30), m.index));
      if (labelled && m[0].split('.').every((w) => isEnglishWord(w))) add(m.index, m.index + m[0].length, 'what3words address of a location');
    }
    for (const m of matches(COMPACT_DM_RE, text)) {
      const a = Number(m.groups?.a);
      const b = Number(m.groups?.b);
      if (a <= 9000 && b <= 18000 && a % 100 < 60 && b % 100 < 60) add(m.index, m.index + m[0].length, 'Coordinates in degrees and minutes');
    }
    for (const m of matches(UTM_RE, text)) add(m.index, m.index + m[0].length, 'Grid reference (UTM) of a location');
    return out;
  },
};
