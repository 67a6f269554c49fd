/**
 * For test/e2e/fuzz.test.ts: requests to one route whose text is not text, systematically, with
 * the caller's credentials and without any. Each carries at least one thing the app must refuse
 * before reading it (a path parameter, a query value, a form or JSON body that is not UTF-8 or not
 * well-formed Unicode, a NUL, a repeated key, absurd nesting, another charset) or that no field
 * takes (an out-of-range number), so none may change a row. The kinds rotate across routes, so
 * every kind meets many routes and every route meets several kinds.
 */
import {
  bytes,
  HOSTILE_STRINGS,
  Kind,
  MALFORMED_FORM_VALUES,
  MALFORMED_JSON_STRINGS,
  MALFORMED_URL_COMPONENTS,
  nestedJson,
  OUT_OF_RANGE_NUMBERS,
  spliceJson,
} from './hostile-input';

export interface RouteUnderTest {
  method: string;
  template: string;
  /** The route with the caller's own objects. */
  ownPath(): string;
  /** The route with every path parameter replaced by `component` (sent as is). */
  pathWith(component: string): string;
  /** Credentials the route's table row allows (undefined for a public route). */
  allowedKey(): string | undefined;
  /** A key to send to a public route, to try it signed in too. */
  anyKey: string;
  queryNames: string[];
  /** The route's JSON body: its fields' kinds and a valid body. */
  dto?: { fields: Record<string, Kind>; valid(): Record<string, unknown> };
  /** It takes a form (console pages, acknowledgment pages) rather than JSON. */
  form: boolean;
  /** It takes multipart/form-data (the console's notice editor). */
  multipart: boolean;
}

export interface MalformedRequest {
  kind: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

/** The next of each list, in turn: one rotation per run, shared by every route. */
export function rotations() {
  const turn = <T>(xs: readonly T[]) => {
    let i = 0;
    return () => xs[i++ % xs.length];
  };
  return { json: turn(MALFORMED_JSON_STRINGS), form: turn(MALFORMED_FORM_VALUES), url: turn(MALFORMED_URL_COMPONENTS), number: turn(OUT_OF_RANGE_NUMBERS), hostile: turn(HOSTILE_STRINGS) };
}

const PLACE: Record<Kind, 'value' | 'inArray' | 'inAnswer'> = {
  str: 'value', enum: 'value', int: 'value', bool: 'value', uuid: 'value', email: 'value', date: 'value',
  strs: 'inArray', uuids: 'inArray', emails: 'inArray', answers: 'inAnswer',
};

export function malformedRequests(r: RouteUnderTest, next: ReturnType<typeof rotations>): MalformedRequest[] {
  const out: MalformedRequest[] = [];
  const unsafe = !['GET', 'HEAD'].includes(r.method);
  const signedIn = r.allowedKey() ?? r.anyKey;
  const auth = (key: string | undefined, h: Record<string, string> = {}) => (key ? { ...h, authorization: `Bearer ${key}` } : h);
  const asJson = (key: string | undefined) => auth(key, { 'content-type': 'application/json' });
  const asForm = (key: string | undefined, charset = '') => auth(key, { 'content-type': `application/x-www-form-urlencoded${charset}` });
  /** A body that would otherwise be accepted, so only the malformed part can refuse the request. */
  const plainBody = () => (!unsafe ? {} : r.form ? { body: 'name=Pat' } : { body: JSON.stringify(r.dto?.valid() ?? {}) });
  const plainHeaders = (key: string | undefined) => (!unsafe ? auth(key) : r.form ? asForm(key) : asJson(key));

  for (const key of [signedIn, undefined]) {
    const who = key ? 'signed-in' : 'anonymous';
    // The address: every path parameter, then a query value.
    if (r.template.includes(':')) {
      const c = next.url();
      out.push({ kind: `malformed-path:${c}:${who}`, path: r.pathWith(c), headers: plainHeaders(key), ...plainBody() });
    }
    const c = next.url();
    const name = r.queryNames[0] ?? 'q';
    out.push({ kind: `malformed-query:${c}:${who}`, path: `${r.ownPath()}?${name}=${c}`, headers: plainHeaders(key), ...plainBody() });
  }
  if (!unsafe) {
    // Numbers no query parameter takes.
    for (const name of r.queryNames.filter((n) => ['limit', 'offset', 'before', 'page', 'lastEventId'].includes(n))) {
      out.push({ kind: `out-of-range-query:${name}`, path: `${r.ownPath()}?${name}=${encodeURIComponent(next.number())}`, headers: auth(signedIn) });
    }
    return out;
  }

  if (r.multipart) {
    for (const bad of [bytes('A title', 0xff), bytes('A title', 0xc0, 0xaf), bytes('A title', 0x00), bytes(0xed, 0xa0, 0x80)]) {
      const body = Buffer.concat([bytes('--XyZ\r\nContent-Disposition: form-data; name="title"\r\n\r\n'), bad, bytes('\r\n--XyZ--\r\n')]);
      out.push({ kind: 'malformed-multipart', path: r.ownPath(), headers: auth(signedIn, { 'content-type': 'multipart/form-data; boundary=XyZ' }), body });
    }
  }
  if (r.form) {
    for (const key of [signedIn, undefined]) {
      const v = next.form();
      const body = typeof v === 'string' ? `name=${v}&action_0=done` : Buffer.concat([bytes('name='), v, bytes('&action_0=done')]);
      out.push({ kind: `malformed-form:${key ? 'signed-in' : 'anonymous'}`, path: r.ownPath(), headers: asForm(key), body });
    }
    out.push({ kind: 'form-charset:iso-8859-1', path: r.ownPath(), headers: asForm(signedIn, '; charset=iso-8859-1'), body: 'name=Pat%E9' });
    return out;
  }

  // JSON: a malformed string in every field of the route's body (or, without one, in a field nobody reads).
  const add = (kind: string, body: string | Buffer, key = signedIn, headers = asJson(key)) => out.push({ kind, path: r.ownPath(), headers, body });
  const valid = r.dto?.valid() ?? {};
  const fields: [string, Kind][] = r.dto ? Object.entries(r.dto.fields) : [['x', 'str'], ['y', 'str']];
  fields.forEach(([field, kind], i) => {
    const [what, literal] = next.json();
    const key = i === 0 ? undefined : signedIn; // the first field anonymously, the rest signed in
    add(`malformed-json:${what}:${field}:${key ? 'signed-in' : 'anonymous'}`, spliceJson(valid, field, literal, PLACE[kind]), key);
  });
  // Repeated keys (also spelled with an escape), absurd nesting, another encoding.
  const text = JSON.stringify(valid);
  const rest = text === '{}' ? '' : `,${text.slice(1, -1)}`;
  add('duplicate-key', `{"x":1,"x":${JSON.stringify(next.hostile())}${rest}}`);
  add('duplicate-key:escaped', `{"\\u0078":1,"x":2${rest}}`);
  add('absurd-nesting:arrays', `{"x":${nestedJson(40, false)}${rest}}`);
  add('absurd-nesting:objects', `{"x":${nestedJson(20_000, true)}${rest}}`);
  add('bom:utf-16', Buffer.concat([bytes(0xff, 0xfe), Buffer.from(text, 'utf16le')]));
  add('mixed-encoding:utf-16-as-utf-8', Buffer.from(text, 'utf16le'));
  add('mixed-encoding:utf-8-as-utf-16', text, signedIn, auth(signedIn, { 'content-type': 'application/json; charset=utf-16' }));
  if (r.dto) {
    // Well-formed, but no field takes it: a number out of range, a field behind a UTF-8 BOM (which is allowed).
    const [last] = fields[fields.length - 1];
    add(`out-of-range-number:${last}`, spliceJson(valid, last, Buffer.from(next.number())));
    add('bom:utf-8+unknown-field', Buffer.concat([bytes(0xef, 0xbb, 0xbf), Buffer.from(`{"zz\uFEFF":1${rest}}`)]));
  }
  return out;
}
