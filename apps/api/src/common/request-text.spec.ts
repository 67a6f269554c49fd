import { BadRequestException, UnsupportedMediaTypeException } from '@nestjs/common';
import { decodeUtf8, findBadText, jsonStructureProblem, MAX_JSON_DEPTH, percentDecodedBytes, refuseMalformedText, textProblem, verifyFormBody, verifyJsonBody } from './request-text';

const bytes = (...xs: (number | string)[]) => Buffer.concat(xs.map((x) => (typeof x === 'string' ? Buffer.from(x) : Buffer.from([x]))));

/** Byte sequences that are not UTF-8, one of each kind. */
const NOT_UTF8: Record<string, number[]> = {
  'a stray continuation byte': [0x80],
  'a byte that never appears': [0xff],
  'a truncated sequence': [0xe2, 0x82],
  'an overlong "/"': [0xc0, 0xaf],
  'an overlong NUL': [0xc0, 0x80],
  'an overlong 3-byte form': [0xe0, 0x80, 0xaf],
  'an encoded high surrogate (CESU)': [0xed, 0xa0, 0x80],
  'an encoded low surrogate': [0xed, 0xbf, 0xbf],
  'beyond U+10FFFF': [0xf4, 0x90, 0x80, 0x80],
  'Latin-1 "é"': [0xe9],
};

describe('request text (common/request-text.ts)', () => {
  it('decodes UTF-8 strictly: every kind of malformed byte sequence is refused, valid text and a BOM are kept', () => {
    for (const [kind, seq] of Object.entries(NOT_UTF8)) expect({ kind, text: decodeUtf8(bytes('a', ...seq, 'b')) }).toEqual({ kind, text: undefined });
    expect(decodeUtf8(bytes('é – 💥 ', 0xef, 0xbb, 0xbf))).toBe('é – 💥 \uFEFF');
  });

  it('percent-decodes to bytes, leaving stray % signs alone', () => {
    expect([...percentDecodedBytes('a%20b%zz%%E2%82%AC')]).toEqual([...Buffer.from('a b%zz%€')]);
    expect(percentDecodedBytes('a+b', true).toString()).toBe('a b');
    expect(percentDecodedBytes('a+b').toString()).toBe('a+b');
    expect(percentDecodedBytes('é').toString()).toBe('é');
    expect(percentDecodedBytes(`${'😀'.repeat(50)}%E2%82%AC`).toString()).toBe(`${'😀'.repeat(50)}€`);
  });

  it('finds lone surrogates and NULs in any string or key of a parsed body, and says where', () => {
    expect(findBadText({ email: '\ud800x\udfff' })).toMatch(/^the field email is not well-formed Unicode/);
    expect(findBadText({ a: [{ b: 'ok' }, { note: 'x\udc00' }] })).toMatch(/^the field a\[1\]\.note is not well-formed/);
    expect(findBadText({ name: 'a\u0000b' })).toBe('the field name holds a NUL character');
    expect(findBadText({ ['k\ud800']: 1 })).toMatch(/^a field name is not well-formed/);
    expect(findBadText(['\udfff'])).toMatch(/^the field \[0\]/);
    expect(findBadText({ fine: 'é 💥 \uFEFF', n: 1, b: true, z: null, list: ['x'] })).toBeUndefined();
    expect(findBadText(undefined)).toBeUndefined();
    // Deep values do not exhaust the stack.
    let deep: unknown = 'x\ud800';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findBadText(deep)).toMatch(/not well-formed/);
  });

  it('refuses every invisible control but tab and line ends, and every text-direction embedding, override and isolate, naming it', () => {
    // The rule, stated on its own: C0 but NUL (said apart), tab, LF, CR; DEL; C1; U+202A-U+202E; U+2066-U+2069.
    const refused = (c: number) => (c >= 0x01 && c <= 0x1f && ![0x09, 0x0a, 0x0d].includes(c)) || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
    const wrong: string[] = [];
    for (let c = 1; c <= 0x10ffff; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue; // lone surrogates: refused as not well-formed, above
      const problem = textProblem(`a ${String.fromCodePoint(c)} b`);
      if (Boolean(problem) !== refused(c)) wrong.push(c.toString(16));
    }
    expect(wrong).toEqual([]);
    expect(findBadText({ findings: [{ text: 'safe\u202eelbats' }] })).toBe(
      'the field findings[0].text holds the text-direction character U+202E, which makes text display in another order than it is stored',
    );
    expect(findBadText({ title: 'bell\u0007' })).toBe('the field title holds the control character U+0007');
    // Marks that only set a direction, joiners and line ends stay: Hebrew or Arabic text, emoji, paragraphs.
    expect(findBadText({ body: 'line\r\nnext\tcol \u200f\u200eמשהו \u061c 👩\u200d👧 \u2028' })).toBeUndefined();
  });

  it('refuses JSON that repeats a key in one object (however the key is escaped) or nests too deep', () => {
    expect(jsonStructureProblem('{"a":1,"a":2}')).toBe('the key "a" appears twice in one object');
    expect(jsonStructureProblem('{"a":1,"\\u0061":2}')).toBe('the key "a" appears twice in one object');
    expect(jsonStructureProblem('{"x":{"a":1,"b":{"c":1},"a":[1]}}')).toMatch(/"a" appears twice/);
    expect(jsonStructureProblem('[{"a":1},{"a":2}]')).toBeUndefined();
    expect(jsonStructureProblem('{"a":{"a":1},"b":"a","c":["a","a"],"d":"\\"a\\""}')).toBeUndefined();
    expect(jsonStructureProblem('{"a":"x,\\"a\\":1"}')).toBeUndefined();
    const nest = (n: number) => '['.repeat(n) + ']'.repeat(n);
    expect(jsonStructureProblem(nest(MAX_JSON_DEPTH))).toBeUndefined();
    expect(jsonStructureProblem(nest(MAX_JSON_DEPTH + 1))).toMatch(/deeper than/);
    expect(jsonStructureProblem('{"a":' + nest(200_000) + '}')).toMatch(/deeper than/);
  });

  it('verifies JSON bodies: UTF-8 only (415 for another charset), valid bytes, structure', () => {
    expect(() => verifyJsonBody(null, null, bytes('{"a":"é"}'), 'utf-8')).not.toThrow();
    expect(() => verifyJsonBody(null, null, bytes('{"a":"', 0xff, '"}'), 'utf-8')).toThrow(new BadRequestException('the request body is not valid UTF-8'));
    expect(() => verifyJsonBody(null, null, bytes('{"a":"', 0xc0, 0xaf, '"}'), 'utf-8')).toThrow(BadRequestException);
    expect(() => verifyJsonBody(null, null, bytes('{"a":1,"a":1}'), 'utf-8')).toThrow(/twice/);
    expect(() => verifyJsonBody(null, null, Buffer.from('{"a":1}', 'utf16le'), 'utf-16le')).toThrow(UnsupportedMediaTypeException);
  });

  it('verifies form bodies: raw bytes and every %XX escape decode as UTF-8', () => {
    expect(() => verifyFormBody(null, null, bytes('name=%C3%A9+x&b=%E2%82%AC'), 'utf-8')).not.toThrow();
    expect(() => verifyFormBody(null, null, bytes('name=%FF'), 'utf-8')).toThrow(new BadRequestException('the form is not valid UTF-8'));
    expect(() => verifyFormBody(null, null, bytes('name=%ED%A0%80'), 'utf-8')).toThrow(BadRequestException);
    expect(() => verifyFormBody(null, null, bytes('name=a', 0xe9), 'utf-8')).toThrow(BadRequestException);
    expect(() => verifyFormBody(null, null, bytes('name=a'), 'iso-8859-1')).toThrow(UnsupportedMediaTypeException);
  });

  it('refuses an address that is not UTF-8 or holds a NUL once percent-decoded, and a body with bad text', () => {
    const run = (originalUrl: string, body?: unknown) => {
      let passed: unknown = 'not called';
      refuseMalformedText({ originalUrl, url: originalUrl, body } as never, {} as never, (err?: unknown) => (passed = err));
      return passed instanceof BadRequestException ? (passed.getResponse() as { message: string }).message : passed;
    };
    expect(run('/api/v1/notices?q=%C3%A9')).toBeUndefined();
    expect(run('/api/v1/notices/%ED%A0%80')).toMatch(/address .* not valid UTF-8/);
    expect(run('/api/v1/notices?q=%FF%FE')).toMatch(/not valid UTF-8/);
    expect(run('/ack/abc%C0%AF')).toMatch(/not valid UTF-8/);
    expect(run('/api/v1/notices?q=a%00b')).toMatch(/NUL/);
    expect(run('/api/v1/auth/login', { email: '\ud800x\udfff', password: 'x' })).toMatch(/the field email is not well-formed Unicode/);
  });
});
