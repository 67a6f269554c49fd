/**
 * social_handle: a person's social-media handle, username or profile address (@jaydens_mom22,
 * facebook.com/maria.lopez.77, "TikTok user kayla.b", u/name, name#1234 on Discord). Not: an
 * agency's official account ("follow us at @OhioDCY"), campaign hashtags (#SafeSleep), email addresses.
 */
import { Candidate, candidate, DeidDetector, matches } from '../detector';
import { isEnglishWord } from '../lexicon/dictionary';
import { isPlaceWord, isStrongGivenName } from '../lexicon/name-lexicon';
import { GROUP_WORDS } from '../lexicon/words';
import { ScanContext } from '../text-context';
import { isRoleMailbox } from './email.detector';

const PLATFORM_NAMES = String.raw`TikTok|Instagram|Insta|IG|Snapchat|Snap|Twitch|Discord|Reddit|Facebook|FB|Messenger|Threads|Twitter|X|YouTube|Kik|WhatsApp|Roblox|Fortnite|Xbox(?:\s+Live)?|PSN|PlayStation|Telegram|Signal|Tumblr|Pinterest|LinkedIn|BeReal|Yubo|Omegle|Wink|MeetMe|Grindr|Tinder|Steam|Minecraft|Venmo|Cash\s?App`;
/** Platform names as written, in lower case ("snapchat: kj_hunnid99") or in capitals ("SNAP: @DEZZY.2X"). */
const PLATFORMS = PLATFORM_NAMES.split('|').flatMap((p) => [...new Set([p, p.toLowerCase(), p.toUpperCase()])]).join('|');
/** Words that name a public body: two of them make a handle one's, whatever else it holds (@PembinaCountySocialServices). */
const PUBLIC_BODY_WORDS = `dhs dcf dcs dcfs cps cfs dss dfps hhs dhhs doh county dept department services gov state tribe tribal nation program official
   agency ministry office division bureau council coalition alliance foundation center hospital clinic police sheriff fire ems schools district`.split(/\s+/);
const PUBLIC_BODY_HANDLE_WORDS = new Set([...PUBLIC_BODY_WORDS, 'social', 'human']);
/** Words that make a handle an organisation's account (@ExampleCoDHS, @DCFSaludInfantil). */
const AGENCY_HANDLE_WORDS = new Set([
  ...PUBLIC_BODY_WORDS,
  ...`co health children child family families safe safety kids info salud infantil niños ninos familia sleep smart healthy prevent
   protect care parents community campaign initiative awareness alabama alaska arizona arkansas california colorado
   connecticut delaware florida georgia hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts
   michigan minnesota mississippi missouri montana nebraska nevada ohio oklahoma oregon pennsylvania tennessee texas utah vermont
   virginia washington wisconsin wyoming`.split(/\s+/),
]);
const PLATFORM_WORDS = new Set(PLATFORMS.split('|').map((p) => p.toLowerCase().replace(/[^a-z]/g, '')));

function agencyHandle(handle: string, personNear = false): boolean {
  // An acronym of three or more capitals (@NICHD_NIH, @CPSCgov) is an organisation's account, unless
  // the text is about a person ("FEMALE, 15 ... SNAP: @DEZZY.2X": a flyer in capitals).
  if (/[A-Z]{3,}/.test(handle) && !personNear) return true;
  const parts = handle.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2').split(/[\s_.]+/);
  if (!parts.some((p) => AGENCY_HANDLE_WORDS.has(p.toLowerCase()))) return false;
  // Round sixteen: two words of a public body ("PembinaCountySocialServices") make it one, whatever place names it.
  if (parts.filter((p) => PUBLIC_BODY_HANDLE_WORDS.has(p.toLowerCase())).length >= 2) return true;
  // Round six: "TheCarrowFamilyVlogs" holds a surname beside "family": one family's channel, not an agency's.
  const nlp = { lexicon: true, tagger: false };
  const personal = (p: string): boolean => p.length >= 4 && /^[A-Z][a-z]+$/.test(p) && !isEnglishWord(p.toLowerCase()) && !isPlaceWord(p.toLowerCase(), nlp) && !GROUP_WORDS.has(p.toLowerCase()) && !AGENCY_HANDLE_WORDS.has(p.toLowerCase());
  // Round fourteen: a given name in lower case counts too ("@umm_yusuf_family": one mother's account).
  return !parts.some((p) => personal(p) || (/^[a-z]{4,}$/.test(p) && !AGENCY_HANDLE_WORDS.has(p) && isStrongGivenName(p, nlp)));
}

const PROFILE_URL_RE =
  /(?<![\w.@/-])(?:https?:\/\/)?(?:www\.|m\.)?(?:facebook\.com|fb\.com|instagram\.com|x\.com|twitter\.com|tiktok\.com|youtube\.com|snapchat\.com|threads\.net|reddit\.com|linkedin\.com|twitch\.tv|pinterest\.com|tumblr\.com|kick\.com|venmo\.com|cash\.app|discord\.(?:gg|com)|kik\.me|t\.me|vsco\.co|onlyfans\.com|soundcloud\.com|roblox\.com|steamcommunity\.com|bsky\.app|linktr\.ee|ask\.fm|tellonym\.me|wattpad\.com|patreon\.com|github\.com|medium\.com|spotify\.com|likee\.video|triller\.co)\/[A-Za-z0-9_.@%?=&\/-]{2,80}/gi;
const AT_HANDLE_RE = /(?<![\w.@%+-])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?(?![\w@]|\.[A-Za-z0-9_])/g;
const REDDIT_RE = /(?<![\w/])u\/[A-Za-z0-9_-]{3,20}\b/g;
// Bounded pieces: a username is at most ~30 characters, so no match can run away.
const USERNAME = String.raw`@?(?:[A-Za-z0-9_]{2,30}#\d{4}|[A-Za-z0-9]{1,30}[._][A-Za-z0-9._]{0,30}[A-Za-z0-9]|[A-Za-z]{0,30}\d[A-Za-z0-9]{0,30}|[A-Za-z]{1,30}[A-Z][A-Za-z0-9]{0,30})(?:#\d{4})?`;
const PLATFORM_BEFORE_RE = new RegExp(
  String.raw`\b(?:${PLATFORMS})\b(?:\s{1,3}(?:as|user(?:name)?|handle|account|profile|name|named|called|under|was|is|tag|gamertag|gamer\s+tag|id)){0,4}(?:\s{1,3}|\s{0,3}[:(,]\s{0,3})(?:the\s+(?:user(?:name)?|handle|account)\s+)?["“']?(?<val>${USERNAME})`,
  'g',
);
const PLATFORM_AFTER_RE = new RegExp(String.raw`(?<![\w.@#])(?<val>${USERNAME})["”']?\s{1,3}on\s{1,3}(?:${PLATFORMS})\b`, 'g');
const HANDLE_CUE_BEFORE_RE = new RegExp(String.raw`\b(?:user(?:name)?|usuario|handle|gamer[\s-]?tag|screen\s+name|account|profile|channel|vlog|blog)(?:\s{1,3}(?:was|is|era|es))?(?:\s{1,3}|\s{0,3}[:(]\s{0,3})["“']?(?<val>${USERNAME})`, 'gi');
/**
 * An official account: "follow us", "our page", "the agency's Instagram", "official account". A bare
 * "visit" or "share" is not enough ("to reschedule the visit").
 */
const OWNER = String.raw`(?:our|the\s+(?:agency|department|program|programme|campaign|county|state|tribe|nation|office|division|unit|partnership|coalition|council|hospital|school\s+district)['’]s|(?:agency|department|program|campaign|county|state|tribal|official))`;
/** A username in any shape after an explicit cue: "went by sadgirlhours on Snapchat", "Discord name was nightowl". */
const LOOSE_BEFORE_RE = new RegExp(
  String.raw`\b(?:${PLATFORMS})\s{1,3}(?:user(?:name)?|handle|account|name|profile|gamer[\s-]?tag|screen\s+name|id|tag)\s{0,3}(?:was|is|:|as|called|named)?\s{0,3}["“']?(?<val>[A-Za-z0-9_.]{4,30})`,
  'g',
);
const LOOSE_AFTER_RE = new RegExp(
  String.raw`\b(?:went\s+by|goes\s+by|going\s+by|known\s+as|posted\s+as|posting\s+as|as|called|named|user(?:name)?|handle)\s{1,3}["“']?(?<val>[A-Za-z0-9_.]{4,30})["”']?\s{1,3}on\s{1,3}(?:${PLATFORMS})\b`,
  'g',
);
/** "DCS's Facebook page", "OKDHS's account": an agency acronym's account (case-sensitive). */
const ACRONYM_OWNER_RE = new RegExp(String.raw`\b[A-Z]{2,6}['’]s\s+(?:official\s+)?(?:${PLATFORM_NAMES}|page|account|channel|feed|profile|handle)\b`);
const OFFICIAL_RE = new RegExp(
  String.raw`\b(?:s[íi]ganos|s[íi]guenos|follow|like\s+us|find\s+us|visit\s+(?:us|our)|repost|retweet|like\s+and\s+share|${OWNER}\s+(?:new\s+)?(?:official\s+|public\s+)?(?:${PLATFORM_NAMES}|page|pages|account|accounts|channel|channels|feed|feeds|profile|profiles|handle|handles|social\s+media))\b`,
  'i',
);

/** A person the handle may belong to: a child, a teen, a parent, an age. */
const PERSON_NEAR_RE = /\b(?:child|kid|teen|teenager|youth|minor|girl|boy|son|daughter|mother|father|mom|dad|runaway|student|female|male|\d{1,2}-year-old|ni[ñn][oa]|joven|adolescente|hij[oa]|madre|padre)\b|\b(?:FEMALE|MALE),?\s\d{1,2}\b/i;

export const socialHandleDetector: DeidDetector = {
  kind: 'social_handle',
  detect(ctx: ScanContext): Candidate[] {
    const text = ctx.text;
    const out: Candidate[] = [];
    // Across lines: a flyer gives the person on one line and the handle on the next.
    const personNear = (at: number): boolean => PERSON_NEAR_RE.test(text.slice(Math.max(0, at - 160), Math.min(text.length, at + 80)));
    const official = (at: number): boolean => OFFICIAL_RE.test(ctx.before(at, 160)) || OFFICIAL_RE.test(ctx.after(at, 80)) || ACRONYM_OWNER_RE.test(ctx.before(at, 160));
    const add = (start: number, end: number, reason: string): void => {
      while (end > start && /[.,;:!?)]/.test(text[end - 1])) end--;
      if (end - start < 3) return;
      if (!official(start) && !agencyHandle(text.slice(start, end).replace(/^.*[/@]/, ''), personNear(start))) out.push(candidate('social_handle', start, end, reason));
      else ctx.clear(start, end); // an agency's account: the token model may not re-add it
    };
    for (const m of matches(PROFILE_URL_RE, text)) {
      const path = m[0].replace(/^.*?\.(?:com|net|tv|app)\//i, '');
      if (!/^profile\.php/i.test(path) && agencyHandle(path.replace(/^@/, '').split(/[/?]/)[0])) {
        ctx.clear(m.index, m.index + m[0].length);
        continue;
      }
      add(m.index, m.index + m[0].length, "Address of a person's social-media profile");
    }
    for (const m of matches(AT_HANDLE_RE, text)) {
      const handle = m[0].slice(1);
      if (/^\d+$/.test(handle) || isRoleMailbox(handle.replace(/([a-z])([A-Z])/g, '$1.$2')) || agencyHandle(handle, personNear(m.index))) {
        ctx.clear(m.index, m.index + m[0].length);
        continue;
      }
      add(m.index, m.index + m[0].length, 'Social-media handle');
    }
    for (const m of matches(REDDIT_RE, text)) add(m.index, m.index + m[0].length, 'Reddit username');
    for (const re of [LOOSE_BEFORE_RE, LOOSE_AFTER_RE]) {
      for (const m of matches(re, text)) {
        const val = m.groups?.val ?? '';
        const at = m.index + m[0].indexOf(val, re === LOOSE_AFTER_RE ? 0 : m[0].length - val.length - 2);
        // An ordinary word ("as friends on Facebook") or a name is not a username here.
        if (/^[A-Z]/.test(val) || isEnglishWord(val.toLowerCase()) || PLATFORM_WORDS.has(val.toLowerCase()) || /^\d+$/.test(val)) continue;
        add(at, at + val.length, 'Username on a social-media or gaming platform');
      }
    }
    for (const re of [PLATFORM_BEFORE_RE, PLATFORM_AFTER_RE, HANDLE_CUE_BEFORE_RE]) {
      for (const m of matches(re, text)) {
        const val = m.groups?.val ?? '';
        const at = re === PLATFORM_AFTER_RE ? m.index : m.index + m[0].length - val.length;
        if (PLATFORM_WORDS.has(val.toLowerCase().replace(/^@/, '')) || val.length < 4 || /^\d+$/.test(val) || /^(?:19|20)\d\d$/.test(val) || /^\d+[a-z]{2}$/i.test(val)) continue;
        if (/@/.test(text.slice(at + val.length, at + val.length + 1))) continue; // an email's local part
        // Round eighteen: "we profile Nurse Lena Two Bulls": a capitalised word before a name is a title, not a handle.
        if (/^[A-Z][a-z]+$/.test(val) && isEnglishWord(val.toLowerCase()) && /^\s[A-Z][a-z]/.test(text.slice(at + val.length, at + val.length + 3))) continue;
        add(at, at + val.length, 'Username on a social-media or gaming platform');
      }
    }
    return out;
  },
};
