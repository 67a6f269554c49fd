/**
 * Hostile values for test/e2e/fuzz.test.ts: a seeded random source, strings every validator may
 * accept, wrong types per kind of field, bad ids, and text that is not text (MALFORMED_*): lone
 * surrogates, bytes that are not UTF-8 (stray, truncated, overlong, CESU-8, beyond U+10FFFF,
 * Latin-1 and Windows-1252 mixed in), NULs, out-of-range numbers, repeated keys and absurd
 * nesting, as JSON, as form values and as URL components.
 */
/** mulberry32: small, fast, and the same sequence for the same seed. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const chance = (p: number) => next() < p;
  const uuid = () => {
    const h = () => int(16).toString(16);
    const s = (n: number) => Array.from({ length: n }, h).join('');
    return `${s(8)}-${s(4)}-4${s(3)}-${pick(['8', '9', 'a', 'b'])}${s(3)}-${s(12)}`;
  };
  return { next, int, pick, chance, uuid };
}

// ── hostile values ──────────────────────────────────────────────────────────────────────────
/** Strings every string validator may accept: they must be harmless wherever they land. */
export const HOSTILE_STRINGS = [
  "' OR '1'='1",
  "'; DROP TABLE notices; --",
  '" OR ""="',
  '\\',
  '%_%',
  '\u0000',
  'a\u0000b',
  '\u202Eevil\u202C',
  '\u200F\u200Eמשהו',
  '\uD800',
  '\uDFFF\uD800',
  '𝕳𝖊𝖑𝖑𝖔 💥',
  'Ω≈ç√∫˜µ≤≥÷',
  '{{constructor.constructor("return process")()}}',
  '${process.exit(1)}',
  '<%= 7*7 %>',
  '#{7*7}',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '=cmd|" /C calc"!A0',
  '../../../../etc/passwd',
  '%2e%2e%2f%2e%2e%2f',
  'file:///etc/passwd',
  'javascript:alert(1)',
  '__proto__',
  'constructor',
  'NaN',
  '-1',
  '9'.repeat(40),
  ' ',
  '\t\r\n',
  'é'.repeat(201),
];
export const DEEP = (depth: number) => {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
};
export const DEEP_ARRAY_RAW = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

export type Kind = 'str' | 'strs' | 'enum' | 'int' | 'bool' | 'uuid' | 'uuids' | 'email' | 'emails' | 'date' | 'answers';

/** Values of the wrong JSON type (never null or undefined: an optional field would let those through). */
export const WRONG: Record<Kind, unknown[]> = {
  str: [123, -1.5, true, false, [], ['a'], {}, { $ne: null }, DEEP(50)],
  enum: [0, true, ['alert'], { $in: ['alert'] }, 'ALERT ', 'not-a-member'],
  date: [20260101, true, [], {}, 'yesterday', '2026-13-45T99:99:99Z', '0000-00-00'],
  uuid: [1, true, [], {}, 'not-a-uuid', '00000000-0000-0000-0000-00000000000g'],
  email: [1, true, [], {}, 'not-an-email', 'a@', '@b.c', 'a b@c.d'],
  strs: ['single string', 1, true, {}, [1, 2], [null], [{}], [[]], Array.from({ length: 300 }, () => 'x')],
  uuids: ['x', 1, {}, ['not-a-uuid'], [1], Array.from({ length: 300 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`)],
  emails: ['a@b.test', 1, {}, ['not-an-email'], [1], [[]]],
  int: ['1', 'one', 1.5, -1, 1e6, true, [], {}],
  bool: ['true', 1, 0, 'yes', [], {}, null],
  answers: ['x', {}, [1], [{ action: '0', response: 'done' }], [{ action: 0, response: 'maybe' }], [], [{ action: 0, response: 'done', extra: 1 }]],
};

export const BAD_IDS = [
  'not-a-uuid',
  '00000000-0000-0000-0000-000000000000',
  'RANDOM_UUID',
  "1'%20OR%20'1'%3D'1",
  '%27%3B%20DROP%20TABLE%20notices%3B--',
  '..%2F..%2F..%2Fetc%2Fpasswd',
  '%2e%2e%2f%2e%2e%2f',
  '....%2F%2F....%2F%2F',
  '%00',
  'a%00b',
  'x'.repeat(5000),
  '%E2%80%AE',
  '%F0%9F%92%A5',
  '%7B%7B7*7%7D%7D',
  '-1',
  '1e309',
  '0x10',
  '__proto__',
  'constructor',
  '%5B%5D',
  'null',
  '%20',
  '%25',
];
// ── text that is not text ───────────────────────────────────────────────────────────────────
export const bytes = (...xs: (number | string)[]) => Buffer.concat(xs.map((x) => (typeof x === 'string' ? Buffer.from(x, 'utf8') : Buffer.from([x]))));

/** JSON string literals (quotes included) that are not acceptable text, one of each kind. */
export const MALFORMED_JSON_STRINGS: readonly [kind: string, literal: Buffer][] = [
  ['lone-high-surrogate', bytes('"\\ud800"')],
  ['lone-low-surrogate', bytes('"\\udfffa@b.test"')],
  ['surrogates-reversed', bytes('"\\udc00\\ud800"')],
  ['surrogates-around-text', bytes('"\\ud800x\\udfff"')],
  ['high-surrogate-at-end', bytes('"text\\ud83d"')],
  ['byte-ff', bytes('"a', 0xff, '"')],
  ['utf16-bom-bytes', bytes('"', 0xfe, 0xff, 'x"')],
  ['stray-continuation', bytes('"a', 0x80, 'b"')],
  ['truncated-sequence', bytes('"a', 0xe2, 0x82, '"')],
  ['overlong-slash', bytes('"..', 0xc0, 0xaf, 'etc"')],
  ['overlong-3-byte', bytes('"', 0xe0, 0x80, 0xaf, '"')],
  ['overlong-4-byte', bytes('"', 0xf0, 0x80, 0x80, 0xaf, '"')],
  ['overlong-nul', bytes('"a', 0xc0, 0x80, 'b"')],
  ['cesu-surrogate-pair', bytes('"', 0xed, 0xa0, 0xbd, 0xed, 0xb2, 0xa5, '"')],
  ['beyond-u10ffff', bytes('"', 0xf4, 0x90, 0x80, 0x80, '"')],
  ['latin1-mixed-in', bytes('"caf', 0xe9, ' au lait"')],
  ['windows-1252-mixed-in', bytes('"', 0x93, 'quoted', 0x94, ' \u2013 ok"')],
  ['nul-escape', bytes('"a\\u0000b"')],
  ['nul-byte', bytes('"a', 0x00, 'b"')],
];

/** JSON numbers no field takes: beyond a double, beyond a safe integer, underflowing to 0. */
export const OUT_OF_RANGE_NUMBERS = ['1e400', '-1e400', '1e-400', '123456789012345678901234567890', '9007199254740993', '-0.0e999999'];

/** Form values (percent-encoded, or raw bytes) that are not UTF-8 text, or hold a NUL. */
export const MALFORMED_FORM_VALUES: readonly (string | Buffer)[] = [
  '%ED%A0%80', '%ED%BF%BF', '%ED%A0%BD%ED%B2%A5', '%FF', '%FE%FF', '%80', '%E2%82', '%C0%AF', '%E0%80%AF', '%C0%80', '%F4%90%80%80', 'caf%E9', '%00', 'a%00b',
  bytes('a', 0xff), bytes(0xc0, 0xaf), bytes('caf', 0xe9), bytes(0xed, 0xa0, 0x80),
];

/** URL components (path parameters, query values) that are not UTF-8 once percent-decoded, or hold a NUL. */
export const MALFORMED_URL_COMPONENTS = ['%ED%A0%80', '%ED%BF%BF', '%FF', '%FE%FF', '%80', '%C0%AF', '%E0%80%AF', '%F0%80%80%AF', '%C0%80', '%F4%90%80%80', 'caf%E9', '%E2%82', '%00', 'a%00b'];

const PLACEHOLDER = '\u0001placeholder\u0001';

/**
 * A JSON body with `raw` (bytes of a JSON value) where field `field` of `body` was: placed as the
 * value itself, inside an array (`inArray`), or as the note of the first answer (`inAnswer`).
 */
export function spliceJson(body: Record<string, unknown>, field: string, raw: Buffer, place: 'value' | 'inArray' | 'inAnswer' = 'value'): Buffer {
  const value = place === 'inArray' ? [PLACEHOLDER] : place === 'inAnswer' ? [{ action: 0, response: 'done', note: PLACEHOLDER }] : PLACEHOLDER;
  const text = JSON.stringify({ ...body, [field]: value });
  const [before, after] = text.split(JSON.stringify(PLACEHOLDER));
  return Buffer.concat([Buffer.from(before), raw, Buffer.from(after)]);
}

/** JSON that nests `depth` levels deep (arrays, or objects every other level). */
export function nestedJson(depth: number, objects: boolean): string {
  if (!objects) return '['.repeat(depth) + ']'.repeat(depth);
  const half = Math.floor(depth / 2);
  return '{"a":['.repeat(half) + '1' + ']}'.repeat(half);
}
