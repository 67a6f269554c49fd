/**
 * Issue 9, item 4: text that is not text. Bodies that are not UTF-8, strings that are not
 * well-formed Unicode (lone surrogates), NULs and other invisible controls (bidi overrides,
 * control characters), repeated JSON keys and absurd nesting get a clear
 * 400 (a non-UTF-8 charset a 415) before any validator or service sees them, on the API, the
 * console's forms and the acknowledgment pages, signed in or not; and nothing changes.
 * (test/e2e/fuzz.test.ts sends the same kinds of input to every route.)
 */
import { signAckToken } from '@sne/core';
import { changedTables, settledFingerprint, fingerprint } from '../support/fingerprint';
import { createAgency, createTopics, eventually, TestAgency } from '../support/fixtures';
import { RawRequest, sendRaw } from '../support/raw-http';
import { startStack, Stack } from '../support/stack';

const bytes = (...xs: (number | string)[]) => Buffer.concat(xs.map((x) => (typeof x === 'string' ? Buffer.from(x) : Buffer.from([x]))));

describe('malformed text: a clear 4xx before validation, and nothing changes', () => {
  let stack: Stack;
  let A: TestAgency, P: TestAgency, R: TestAgency;
  let token: string;
  let noticeId: string;

  beforeAll(async () => {
    stack = await startStack();
    await createTopics(stack.db, ['safe-sleep']);
    A = await createAgency(stack.db, { name: 'Mine' });
    P = await createAgency(stack.db, { name: 'Partnership', type: 'federal', roles: ['admin'] });
    R = await createAgency(stack.db, { name: 'Reviewing', roles: ['review_lead'] });
    const call = async (path: string, key: string, body?: unknown) => {
      const res = await sendRaw(stack.url, { method: 'POST', path, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) });
      if (res.status >= 300) throw new Error(`setup: ${path} → ${res.status} ${res.text}`);
      return res.json;
    };
    await call('/api/v1/subscriptions', A.keys.agency_admin!, { name: 'all', topicPatterns: ['safe-sleep'], channel: 'email', emailAddresses: ['intake@mine.test'] });
    // Issued by another agency, so that Mine owes the acknowledgment (an issuer owes none for its own notice).
    const issuer = await createAgency(stack.db, { name: 'Issuer', roles: ['author', 'approver'] });
    const n = await call('/api/v1/notices', issuer.keys.author!, { title: 'A notice', summary: 'A summary', body: 'Body', category: 'alert', severity: 'high', topics: ['safe-sleep'], requiredActions: ['Check'] });
    await call(`/api/v1/notices/${n.id}/submit`, issuer.keys.author!);
    await call(`/api/v1/notices/${n.id}/approve`, issuer.keys.approver!, { contentHash: n.contentHash });
    noticeId = n.id;
    const [ack] = await eventually(async () => {
      const rows = await stack.db.query(`SELECT id FROM acknowledgments WHERE notice_id = $1`, [noticeId]);
      return rows.length ? rows : undefined;
    }, 30000, 'the fan-out');
    token = signAckToken({ ackId: ack.id, email: 'ack@mine.test', exp: Math.floor(Date.now() / 1000) + 3600 }, stack.config.ackTokenSecret);
  });

  afterAll(async () => {
    await stack?.close();
  });

  const json = (key?: string) => ({ 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) });
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const NOTICE = '{"title":"A title","summary":"A summary","body":"Body","category":"advisory","severity":"low","topics":["safe-sleep"]';
  type Case = [name: string, status: number, message: RegExp, request: () => RawRequest];
  const cases: Case[] = [
    // The three 500s found from outside, without and with sign-in.
    ['sign-in: an email with lone surrogates', 400, /field email is not well-formed Unicode/, () => ({ method: 'POST', path: '/api/v1/auth/login', headers: json(), body: '{"email":"\\ud800x\\udfff","password":"x"}' })],
    ['agencies: a contact email with lone surrogates', 400, /field noticesContactEmail is not well-formed/, () => ({ method: 'POST', path: '/api/v1/agencies', headers: json(P.keys.admin), body: '{"name":"New agency","jurisdictionType":"county","jurisdictionCode":"1","timeZone":"UTC","noticesContactEmail":"\\ud800x\\udfff"}' })],
    ['users: an email with a lone low surrogate', 400, /field email is not well-formed/, () => ({ method: 'POST', path: '/api/v1/users', headers: json(A.keys.agency_admin), body: '{"email":"\\udfffa@b.test","name":"x","roles":["author"]}' })],
    ['notices: a lone high surrogate at the end of a title', 400, /field title is not well-formed/, () => ({ method: 'POST', path: '/api/v1/notices', headers: json(A.keys.author), body: NOTICE.replace('"A title"', '"A title\\ud800"') + '}' })],
    ['notices: a lone surrogate in a nested string', 400, /field requiredActions\[0\] is not well-formed/, () => ({ method: 'POST', path: '/api/v1/notices', headers: json(A.keys.author), body: NOTICE + ',"requiredActions":["\\udc00"]}' })],
    ['notices: a lone surrogate in a key', 400, /field name is not well-formed/, () => ({ method: 'POST', path: '/api/v1/notices', headers: json(A.keys.author), body: NOTICE + ',"\\ud800":1}' })],
    ['acknowledgment token: a name that is a lone surrogate', 400, /field name is not well-formed/, () => ({ method: 'POST', path: `/api/v1/acknowledgments/${token}`, headers: json(), body: '{"name":"\\ud800"}' })],
    // Bytes that are not UTF-8 inside a JSON string: accepted (201) before.
    ['topics: a byte that is never UTF-8', 400, /request body is not valid UTF-8/, () => ({ method: 'POST', path: '/api/v1/topics', headers: json(P.keys.admin), body: bytes('{"key":"new-topic","title":"a', 0xff, 0xfe, '"}') })],
    ['topics: an overlong encoding of "/"', 400, /not valid UTF-8/, () => ({ method: 'POST', path: '/api/v1/topics', headers: json(P.keys.admin), body: bytes('{"key":"new-topic","title":"a', 0xc0, 0xaf, '"}') })],
    ['topics: a surrogate encoded as UTF-8 bytes (CESU-8)', 400, /not valid UTF-8/, () => ({ method: 'POST', path: '/api/v1/topics', headers: json(P.keys.admin), body: bytes('{"key":"new-topic","title":"a', 0xed, 0xa0, 0x80, '"}') })],
    ['topics: Latin-1 text sent as UTF-8', 400, /not valid UTF-8/, () => ({ method: 'POST', path: '/api/v1/topics', headers: json(P.keys.admin), body: bytes('{"key":"new-topic","title":"caf', 0xe9, '"}') })],
    ['topics: a body in UTF-16', 415, /must be UTF-8/, () => ({ method: 'POST', path: '/api/v1/topics', headers: { ...json(P.keys.admin), 'content-type': 'application/json; charset=utf-16' }, body: Buffer.from('{"key":"new-topic","title":"a"}', 'utf16le') })],
    ['topics: a NUL escape', 400, /field title holds a NUL/, () => ({ method: 'POST', path: '/api/v1/topics', headers: json(P.keys.admin), body: '{"key":"new-topic","title":"a\\u0000b"}' })],
    ['topics: a raw NUL byte', 400, /JSON/, () => ({ method: 'POST', path: '/api/v1/topics', headers: json(P.keys.admin), body: bytes('{"key":"new-topic","title":"a', 0x00, '"}') })],
    ['topics: a repeated key', 400, /"key" appears twice/, () => ({ method: 'POST', path: '/api/v1/topics', headers: json(P.keys.admin), body: '{"key":"new-topic","title":"a","key":"other-topic"}' })],
    ['topics: a repeated key spelled with an escape', 400, /"title" appears twice/, () => ({ method: 'POST', path: '/api/v1/topics', headers: json(P.keys.admin), body: '{"key":"new-topic","title":"a","\\u0074itle":"b"}' })],
    ['topics: JSON nested 1,000 deep', 400, /nests deeper than 32/, () => ({ method: 'POST', path: '/api/v1/topics', headers: json(P.keys.admin), body: `{"key":"new-topic","title":"a","x":${'['.repeat(1000)}${']'.repeat(1000)}}` })],
    ['actions: a number out of range', 400, /action must not be greater than 99/, () => ({ method: 'POST', path: `/api/v1/notices/${noticeId}/acknowledgments/actions`, headers: json(A.keys.supervisor), body: '{"answers":[{"action":1e400,"response":"done"}]}' })],
    // The address: path parameters and query values.
    ['a query value that is not UTF-8', 400, /address .*not valid UTF-8/, () => ({ method: 'GET', path: '/api/v1/notices?q=%FF%FE', headers: json(A.keys.author) })],
    ['a query value with an encoded surrogate', 400, /address .*not valid UTF-8/, () => ({ method: 'GET', path: '/api/v1/notices?q=%ED%A0%80', headers: json(A.keys.author) })],
    ['a query value with a NUL', 400, /address .*NUL/, () => ({ method: 'GET', path: '/api/v1/notices?q=a%00b', headers: json(A.keys.author) })],
    ['a path parameter with an overlong encoding', 400, /address .*not valid UTF-8/, () => ({ method: 'GET', path: `/api/v1/notices/${noticeId}%C0%AF`, headers: json(A.keys.author) })],
    // The console's forms and the acknowledgment pages.
    ['console sign-in: an email with an encoded surrogate', 400, /form is not valid UTF-8/, () => ({ method: 'POST', path: '/console/sign-in', headers: form, body: `email=${A.keys.author}%ED%A0%80&password=x` })],
    ['console sign-in: a raw byte that is never UTF-8', 400, /form is not valid UTF-8/, () => ({ method: 'POST', path: '/console/sign-in', headers: form, body: bytes('email=a', 0xff, '%40b.test&password=x') })],
    ['console sign-in: a form in Latin-1', 415, /must be UTF-8/, () => ({ method: 'POST', path: '/console/sign-in', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=iso-8859-1' }, body: 'email=a%E9%40b.test&password=x' })],
    ['acknowledgment page: a name that is not UTF-8 (a valid link)', 400, /form is not valid UTF-8/, () => ({ method: 'POST', path: `/ack/${token}`, headers: form, body: 'name=Pat%FF' })],
    ['acknowledgment page: an overlong byte in the form', 400, /form is not valid UTF-8/, () => ({ method: 'POST', path: `/ack/${token}/actions`, headers: form, body: bytes('name=Pat', 0xc0, 0xaf, '&action_0=done') })],
    ['acknowledgment page: a NUL in the name', 400, /field name holds a NUL/, () => ({ method: 'POST', path: `/ack/${token}`, headers: form, body: 'name=Pat%00' })],
    ['acknowledgment page: a token that is not UTF-8', 400, /address .*not valid UTF-8/, () => ({ method: 'GET', path: `/ack/${token}%C0` })],
    ['console editor (multipart): a field that is not UTF-8', 400, /could not be read/, () => ({
      method: 'POST',
      path: '/console/notices',
      headers: { authorization: `Bearer ${A.keys.author}`, 'content-type': 'multipart/form-data; boundary=XyZ' },
      body: bytes('--XyZ\r\nContent-Disposition: form-data; name="title"\r\n\r\nA title', 0xff, '\r\n--XyZ--\r\n'),
    })],
    // Invisible controls: text that would display otherwise than it is stored (bidi overrides), or control characters.
    ['notices: a right-to-left override in a title', 400, /field title holds the text-direction character U\+202E/, () => ({ method: 'POST', path: '/api/v1/notices', headers: json(A.keys.author), body: NOTICE.replace('"A title"', '"Do not \\u202Eesu\\u202C"') + '}' })],
    ['notices: an isolate in a required action', 400, /field requiredActions\[0\] holds the text-direction character U\+2067/, () => ({ method: 'POST', path: '/api/v1/notices', headers: json(A.keys.author), body: NOTICE + ',"requiredActions":["\\u2067x\\u2069"]}' })],
    ['topics: an escape character in a title', 400, /field title holds the control character U\+001B/, () => ({ method: 'POST', path: '/api/v1/topics', headers: json(P.keys.admin), body: '{"key":"new-topic","title":"a\\u001b[31m"}' })],
    ['acknowledgment page: a bell in the name', 400, /field name holds the control character U\+0007/, () => ({ method: 'POST', path: `/ack/${token}`, headers: form, body: 'name=Pat%07' })],
    ['console editor (multipart): an override in the body', 400, /text-direction character U\+202D/, () => ({
      method: 'POST',
      path: '/console/notices',
      headers: { authorization: `Bearer ${A.keys.author}`, 'content-type': 'multipart/form-data; boundary=XyZ' },
      body: bytes('--XyZ\r\nContent-Disposition: form-data; name="body"\r\n\r\nA \u202d body\r\n--XyZ--\r\n'),
    })],
    ['review import: a C1 control on line 3', 400, /line 3: the file holds the control character U\+0085/, () => ({ method: 'POST', path: '/api/v1/reviews/import', headers: { authorization: `Bearer ${R.keys.review_lead}`, 'content-type': 'text/csv' }, body: 'external_id\r\nA\r\nB\u0085\r\n' })],
    // A line break in a one-line text (a name, a title): an email's text part or a list would show it as a new line the writer did not mean.
    ['notices: a line break in a title', 400, /title must be one line/, () => ({ method: 'POST', path: '/api/v1/notices', headers: json(A.keys.author), body: NOTICE.replace('"A title"', '"A title\\nAcknowledge at https://elsewhere.example"') + '}' })],
    ['notices: a line separator in the enquiries contact', 400, /name must be one line/, () => ({ method: 'POST', path: '/api/v1/notices', headers: json(A.keys.author), body: NOTICE + ',"enquiries":{"name":"Pat\\u2028Lee","email":"pat@mine.test"}}' })],
    ['users: a carriage return in a name', 400, /name must be one line/, () => ({ method: 'POST', path: '/api/v1/users', headers: json(A.keys.agency_admin), body: '{"email":"cr@mine.test","name":"Pat\\rLee","roles":["author"]}' })],
    ['acknowledgment token: a line break in the name', 400, /name must be one line/, () => ({ method: 'POST', path: `/api/v1/acknowledgments/${token}`, headers: json(), body: '{"name":"Pat\\nLee"}' })],
    ['acknowledgment page: a line break in the name', 400, /one line/, () => ({ method: 'POST', path: `/ack/${token}`, headers: form, body: 'name=Pat%0D%0ALee' })],
    ['console editor (multipart): a line break in the title', 400, /one line/, () => ({
      method: 'POST',
      path: '/console/notices',
      headers: { authorization: `Bearer ${A.keys.author}`, 'content-type': 'multipart/form-data; boundary=XyZ' },
      body: bytes('--XyZ\r\nContent-Disposition: form-data; name="title"\r\n\r\nA title\r\nand more\r\n--XyZ--\r\n'),
    })],
    // White space alone where a text is required: it read as a name or a title that says nothing (an acknowledgment recorded as "").
    ['acknowledgment token: a blank name', 400, /name must not be blank/, () => ({ method: 'POST', path: `/api/v1/acknowledgments/${token}`, headers: json(), body: '{"name":"   "}' })],
    ['acknowledgment token actions: a blank name', 400, /name must not be blank/, () => ({ method: 'POST', path: `/api/v1/acknowledgments/${token}/actions`, headers: json(), body: '{"name":"\\t ","answers":[{"action":0,"response":"done"}]}' })],
    ['notices: a blank title and a blank required action', 400, /title must not be blank; requiredActions\[0\] must not be blank/, () => ({ method: 'POST', path: '/api/v1/notices', headers: json(A.keys.author), body: NOTICE.replace('"A title"', '"    "') + ',"requiredActions":["  "]}' })],
    ['notices: a blank enquiries name (nested)', 400, /enquiries\.name must not be blank/, () => ({ method: 'POST', path: '/api/v1/notices', headers: json(A.keys.author), body: NOTICE + ',"enquiries":{"name":" ","email":"desk@mine.test"}}' })],
  ];

  it('answers each with the expected status and a message that names the problem, and changes no row', async () => {
    const before = await settledFingerprint(stack.db);
    const wrong: string[] = [];
    for (const [name, status, message, request] of cases) {
      const res = await sendRaw(stack.url, request());
      const text = res.json?.message ? [res.json.message].flat().join('; ') : res.text;
      const shaped = res.contentType.includes('json') ? res.json?.statusCode === status && typeof res.json.error === 'string' : true;
      if (res.status !== status || !message.test(text) || !shaped) wrong.push(`${name}: expected ${status} ${message}, got ${res.status} ${res.text.slice(0, 200)}`);
    }
    await new Promise((r) => setTimeout(r, 1000));
    expect({ wrong, changed: changedTables(before, await fingerprint(stack.db)) }).toEqual({ wrong: [], changed: [] });
  });
});
