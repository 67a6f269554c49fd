/**
 * The requests test/e2e/fuzz.test.ts sends, generated from its seeded random source: for every
 * route of the authorization table, systematically (every DTO field with a wrong type, every
 * refusal the service makes, every query parameter with a NUL and another hostile value, names of
 * Object.prototype's members and traversal as every id, one wrong method), then random picks
 * from what applies (bad credentials, wrong roles, other agencies' ids, bodies the parser refuses,
 * oversized bodies, wrong content types, forged tokens, hostile query strings), then text that is
 * not text (support/malformed-requests.ts). And CSV imports that must change nothing, and
 * traversal in whole paths.
 */
import { RequestMethod } from '@nestjs/common';
import { AUTHORIZATION } from '../../apps/api/src/common/authorization.table';
import { EDITOR_ROUTES } from '../../apps/api/src/console/console-body.module';
import { fuzzDtos } from './fuzz-dtos';
import { FuzzContext, FuzzRequest } from './fuzz-scene';
import { apiOf, fill, fuzzTargets, QUERY_PARAMS } from './fuzz-targets';
import { DEEP, DEEP_ARRAY_RAW, WRONG } from './hostile-input';
import { malformedRequests, rotations } from './malformed-requests';
import { goodRow, reviewCsv } from './review-csv';

/** How many random picks each route gets, beyond the systematic ones. */
export const PER_ROUTE = 10;

export function generateFuzzRequests(x: FuzzContext): FuzzRequest[] {
  const { rnd, A, P, w, hostile, json, enc } = x;
  const DTOS = fuzzDtos(x);
  const { ownId, otherId, badId, allowedKey, wrongRoleKey, badAuth } = fuzzTargets(x);

  // ── generation ─────────────────────────────────────────────────────────────────────────
  const requests: FuzzRequest[] = [];
  const turn = rotations();
  const keys = Object.keys(AUTHORIZATION);
  const registered = new Set(keys);
  for (const key of keys) {
    const rule = AUTHORIZATION[key];
    const [method, template] = key.split(' ');
    const unsafe = !['GET', 'HEAD'].includes(method);
    const params = [...template.matchAll(/:(\w+)/g)].map((m) => m[1]);
    const dto = DTOS[key];
    const isPublic = rule.roles === 'public';
    const add = (kind: string, r: Omit<FuzzRequest, 'route' | 'kind' | 'method'> & { method?: string }) =>
      requests.push({ route: key, kind, method: r.method ?? method, path: r.path, headers: r.headers, body: r.body });
    const withKey = (k: string | undefined, h: Record<string, string> = {}) => (k ? { ...h, authorization: `Bearer ${k}` } : h);
    const jsonHeaders = (k: string | undefined) => withKey(k, { 'content-type': 'application/json' });
    const ownPath = () => fill(template, (p) => encodeURIComponent(ownId(template, p)));

    /** A body for this route whose refusal is certain (for a write on the caller's own object). */
    const refusedBody = (force?: number, field?: string): { body: string; kind: string } => {
      if (!dto) {
        const raw = rnd.pick(['{"a":', '[1,2', '{"x":1,}', "{'a':1}", '{"a":"\\u00"}', '\u0000', '"a string"', '123', 'null', 'true', `{"__proto__":{"admin":true}}`, `{"constructor":{"prototype":{"x":1}}}`, `{"a":{"prototype":1}}`]);
        return { body: raw, kind: 'malformed-or-primitive-json' };
      }
      const names = Object.keys(dto.fields);
      const body = dto.valid();
      for (const n of names) if (dto.fields[n] === 'str' && rnd.chance(0.4)) body[n] = hostile();
      switch (force ?? rnd.int(5)) {
        case 0: {
          const f = field ?? rnd.pick(names);
          body[f] = rnd.pick(WRONG[dto.fields[f]]);
          return { body: json(body), kind: `wrong-type:${f}` };
        }
        case 1: {
          const strs = names.filter((n) => dto.fields[n] === 'str');
          const f = strs.length ? rnd.pick(strs) : rnd.pick(names);
          body[f] = strs.length ? 'x'.repeat(rnd.pick([60_000, 120_000])) : rnd.pick(WRONG[dto.fields[f]]);
          return { body: json(body), kind: `overlong:${f}` };
        }
        case 2: {
          const extra = rnd.pick(['status', 'isAdmin', '$where', 'role', 'issuingAgencyId', 'approvedBy', 'id', 'version', 'contentHash_', 'zz'].filter((n) => !names.includes(n)));
          body[extra] = rnd.pick([true, 'published', { $gt: '' }, 1]);
          return { body: json(body), kind: `unknown-field:${extra}` };
        }
        case 3: {
          const f = rnd.pick(names);
          const raw = json(body).replace(/}$/, `,"${f}":${json(DEEP(rnd.pick([200, 2000])))}}`);
          return { body: raw, kind: `deep-object:${f}` };
        }
        default: {
          const raw = json(body).replace(/}$/, rnd.pick([',"__proto__":{"status":"published"}}', ',"constructor":{"prototype":{"isAdmin":true}}}', ',"nested":{"__proto__":{"x":1}}}']));
          return { body: raw, kind: 'prototype-key' };
        }
      }
    };

    const generators: (() => void)[] = [];
    // 1. Credentials that must be refused (the route's own object, an otherwise valid request).
    if (!isPublic) {
      generators.push(() => {
        const body = dto ? json(dto.valid()) : undefined;
        add('bad-auth', { path: ownPath(), headers: { ...badAuth(unsafe), ...(body ? { 'content-type': 'application/json' } : {}) }, body });
      });
      const wrong = wrongRoleKey(rule.roles);
      if (wrong) generators.push(() => add('wrong-role', { path: ownPath(), headers: jsonHeaders(wrong), body: dto ? json(dto.valid()) : unsafe ? '{}' : undefined }));
    }
    // 2. Hostile ids in the path, with credentials that are allowed.
    if (params.length) {
      generators.push(() => add('bad-id', { path: fill(template, () => badId()), headers: jsonHeaders(allowedKey(rule.roles)), body: unsafe ? (dto ? json(dto.valid()) : '{}') : undefined }));
      const others = params.map((p) => otherId(template, p));
      if (!isPublic && others.every((o) => o !== undefined)) {
        generators.push(() => {
          const k = allowedKey(rule.roles);
          if (k === P.keys.admin) return; // a partnership admin may reach other agencies: nothing to refuse
          const path = fill(template, (p) => encodeURIComponent(otherId(template, p)!));
          add('other-agency-id', { path, headers: jsonHeaders(k), body: unsafe ? (dto ? json(dto.valid()) : '{}') : undefined });
        });
      }
    }
    if (unsafe) {
      // 3. Bodies the parser refuses, whatever the route: malformed, primitive, prototype keys, too large.
      generators.push(() => {
        const raw = rnd.pick(['{', '{"a":', '[1,2', '{"a":1,}', "{'a':1}", '{"a":"\\x41"}', '"just a string"', '42', 'null', 'true', `{"__proto__":{"admin":true}}`, `{"a":{"constructor":{"prototype":{"x":1}}}}`, `{"prototype":1}`, DEEP_ARRAY_RAW(200_000)]);
        add('parser-refusal', { path: ownPath(), headers: jsonHeaders(allowedKey(rule.roles)), body: raw });
      });
      generators.push(() => {
        const big = rnd.chance(0.5)
          ? { headers: jsonHeaders(allowedKey(rule.roles)), body: json({ title: 'x'.repeat(300_000) }) }
          : { headers: withKey(allowedKey(rule.roles), { 'content-type': 'application/x-www-form-urlencoded' }), body: `name=${'x'.repeat(20_000)}` };
        add('oversized-body', { path: ownPath(), ...big });
      });
      // 4. DTO routes: a write on the caller's own object whose body is certain to be refused.
      if (dto) {
        generators.push(() => {
          const b = refusedBody();
          add(`dto:${b.kind}`, { path: ownPath(), headers: jsonHeaders(allowedKey(rule.roles)), body: b.body });
        });
        generators.push(() => {
          const b = refusedBody();
          add(`dto:${b.kind}`, { path: ownPath(), headers: jsonHeaders(allowedKey(rule.roles)), body: b.body });
        });
        if (dto.poisons?.length) {
          generators.push(() => {
            const p = rnd.pick(dto.poisons!)();
            const path = fill(template, (name) => encodeURIComponent(p.id ?? ownId(template, name)));
            add('service-refusal', { path, headers: jsonHeaders(p.key ?? allowedKey(rule.roles)), body: json(p.body) });
          });
        }
        // Wrong content types: never parsed as JSON, so a DTO with required fields refuses them.
        generators.push(() => {
          const ct = dto.allOptional
            ? rnd.pick(['application/x-www-form-urlencoded', 'application/json; charset=utf-16', 'application/json; charset=latin9'])
            : rnd.pick(['text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16', 'application/octet-stream', '']);
          const body = ct.startsWith('application/xml') ? '<notice><title>x</title></notice>' : json(dto.valid());
          add(`content-type:${ct || 'none'}`, { path: ownPath(), headers: withKey(allowedKey(rule.roles), ct ? { 'content-type': ct } : {}), body });
        });
      }
      // 5. Public forms and tokens: forged or expired tokens, and valid ones with refused input.
      if (template.includes(':token')) {
        generators.push(() => {
          const valid: string = w.validToken;
          const token = rnd.pick([
            w.expiredToken,
            w.foreignToken,
            `${valid}x`,
            valid.split('.')[0],
            `${valid.split('.')[1]}.${valid.split('.')[0]}`,
            (valid[0] === 'A' ? 'B' : 'A') + valid.slice(1),
            'eyJhY2tJZCI6IngifQ.Zm9yZ2Vk',
            '..%2F..%2Fetc%2Fpasswd',
            'a'.repeat(4000),
            '%00',
          ]);
          const form = template.startsWith('/ack/');
          const body = form
            ? `name=${enc(hostile())}&action_0=done`
            : json(template.endsWith('actions') ? { name: 'Pat', answers: [{ action: 0, response: 'done' }] } : { name: 'Pat' });
          add('forged-token', { path: fill(template, () => token), headers: { 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json' }, body });
        });
        if (template.startsWith('/ack/')) {
          // A valid link, but a name the page refuses (missing, blank, too long, not a string).
          generators.push(() => {
            const name = rnd.pick(['', 'name=', 'name=%20%20%20', `name=${'x'.repeat(201)}`, 'name[]=a&name[]=b', 'name[a]=b']);
            const answers = template.endsWith('actions') ? rnd.pick(['&action_0=done', '&action_0=maybe', '&action_99=done', '']) : '';
            add('page-refused-name', { path: ownPath(), headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: name + answers });
          });
        }
      }
      if (template === '/console/sign-in') {
        generators.push(() => {
          const body = rnd.pick([`email=nobody-${rnd.int(1e6)}%40nowhere.test&password=${enc(hostile())}`, `email=${enc(hostile())}&password=x`, 'email=&password=', 'email[]=a&password[]=b', `email=x&next=${encodeURIComponent('//evil.example/')}`]);
          add('sign-in-refused', { path: template, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
        });
      }
    } else {
      // 6. Reads: hostile query strings (reads change nothing, so any credentials will do).
      const names = QUERY_PARAMS[template] ?? ['q', 'limit', 'x'];
      const value = () =>
        rnd.pick([
          enc(hostile()),
          '%00',
          'a%00b',
          '%C0%AF',
          '%FF%FE',
          '%ED%A0%80',
          encodeURIComponent('x'.repeat(rnd.pick([201, 5000]))),
          '-1',
          '1e309',
          '99999999999999999999999',
          '1.5',
          encodeURIComponent("' OR 1=1 --"),
          enc(`//evil.example/${hostile()}`),
          'true',
          '',
        ]);
      const query = () => {
        const parts: string[] = [];
        for (let i = 0, n = 1 + rnd.int(3); i < n; i++) {
          const name = rnd.pick(names);
          parts.push(rnd.chance(0.15) ? `${name}[]=${value()}&${name}[]=${value()}` : rnd.chance(0.1) ? `${name}[a]=${value()}` : `${name}=${value()}`);
        }
        return parts.join('&');
      };
      const readKey = () => (isPublic ? (rnd.chance(0.5) ? A.keys.author : undefined) : allowedKey(rule.roles));
      generators.push(() => add('hostile-query', { path: `${ownPath()}?${query()}`, headers: withKey(readKey()), body: undefined }));
      generators.push(() => add('hostile-query', { path: `${ownPath()}?${query()}`, headers: rnd.chance(0.5) ? withKey(readKey()) : { cookie: w.Acookie }, body: undefined }));
      generators.push(() => add('huge-query', { path: `${ownPath()}?${rnd.pick(names)}=${'9'.repeat(7000)}&${'k'.repeat(500)}=${'v'.repeat(500)}`, headers: withKey(readKey()), body: undefined }));
      generators.push(() => add('unknown-query', { path: `${ownPath()}?__proto__[admin]=1&constructor[prototype][x]=1&${encodeURIComponent('$where')}=1`, headers: withKey(readKey()), body: undefined }));
      generators.push(() => add('last-event-id', { path: ownPath(), headers: { ...withKey(readKey()), 'last-event-id': rnd.pick(['-1', 'abc', '9'.repeat(30), '1e3', ' ', '0x1']) }, body: undefined }));
    }
    // 7. A method the route does not have.
    const wrongMethod = () => {
      const m = rnd.pick(['PUT', 'DELETE', 'PATCH', 'POST', 'GET'].filter((x) => !registered.has(`${x} ${template}`)));
      if (!m) return;
      const mutating = m !== 'GET';
      add('wrong-method', { method: m, path: ownPath(), headers: jsonHeaders(allowedKey(rule.roles)), body: mutating ? '{"x":1}' : undefined });
    };

    // Systematic first: every DTO field with a wrong type, every refusal the service makes, every
    // query parameter with a NUL and with another hostile value, one wrong method.
    const before = requests.length;
    if (unsafe && dto) {
      for (const f of Object.keys(dto.fields)) {
        const b = refusedBody(0, f);
        add(`dto:${b.kind}`, { path: ownPath(), headers: jsonHeaders(allowedKey(rule.roles)), body: b.body });
      }
      for (const mutation of [1, 2, 3, 4]) {
        const b = refusedBody(mutation);
        add(`dto:${b.kind}`, { path: ownPath(), headers: jsonHeaders(allowedKey(rule.roles)), body: b.body });
      }
      {
        const ct = dto.allOptional ? rnd.pick(['application/x-www-form-urlencoded', 'application/json; charset=utf-16']) : rnd.pick(['text/plain', 'application/xml', 'multipart/form-data; boundary=x', '']);
        add(`content-type:${ct || 'none'}`, { path: ownPath(), headers: withKey(allowedKey(rule.roles), ct ? { 'content-type': ct } : {}), body: json(dto.valid()) });
      }
      for (const poison of [...(dto.poisons ?? []), ...(dto.nul ? [dto.nul] : [])]) {
        const p = poison();
        const path = fill(template, (name) => encodeURIComponent(p.id ?? ownId(template, name)));
        add(poison === dto.nul ? 'nul-in-stored-text' : 'service-refusal', { path, headers: jsonHeaders(p.key ?? allowedKey(rule.roles)), body: json(p.body) });
      }
    }
    if (!unsafe) {
      const names = QUERY_PARAMS[template] ?? [];
      const k = rule.roles === 'public' ? undefined : allowedKey(rule.roles);
      for (const name of names) {
        add('query-nul', { path: `${ownPath()}?${name}=${rnd.pick(['%00', 'a%00b', '%00%00%00'])}`, headers: withKey(k) });
        add('query-hostile', { path: `${ownPath()}?${name}=${enc(hostile())}`, headers: withKey(k) });
      }
    }
    if (params.length) {
      // Names of Object.prototype's members, and traversal, as every id.
      const body = unsafe ? (dto ? json(dto.valid()) : '{}') : undefined;
      const k = allowedKey(rule.roles);
      for (const name of ['constructor', '__proto__', rnd.pick(['toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'])]) {
        add('bad-id:prototype-name', { path: fill(template, () => name), headers: jsonHeaders(k), body });
      }
      add('bad-id:traversal', { path: fill(template, () => rnd.pick(['..%2F..%2F..%2Fetc%2Fpasswd', '..%2F..%2Fpackage.json', '%2e%2e%2f%2e%2e%2fpackage.json', '..%5C..%5Cpackage.json', '....%2F%2F', '%00..%2F'])), headers: jsonHeaders(k), body });
    }
    wrongMethod();
    // Then random picks from what applies, in a shuffled but seeded order, up to PER_ROUTE.
    const order = generators.map((g) => ({ g, k: rnd.next() })).sort((a, b) => a.k - b.k);
    for (let i = 0, start = requests.length; requests.length - start < Math.max(PER_ROUTE - (start - before), 4) && i < PER_ROUTE * 4; i++) order[i % order.length].g();
    // 8. Text that is not text, on every route, signed in and not (support/malformed-requests.ts).
    const editor = method === 'POST' && EDITOR_ROUTES.some((e) => e.method === RequestMethod.POST && `/${e.path}` === template);
    const route = { method, template, ownPath, pathWith: (c: string) => fill(template, () => c), allowedKey: () => allowedKey(rule.roles), anyKey: A.keys.author!, queryNames: QUERY_PARAMS[template] ?? [], dto, form: unsafe && !apiOf(template), multipart: editor };
    for (const m of malformedRequests(route, turn)) add(m.kind, m);
  }
  // ── issue 11, import ── CSV files that must change nothing: a dry run, a file with a bad row
  // (all or nothing), hostile text in every cell, files that are not CSV, other charsets.
  {
    const route = 'POST /api/v1/reviews/import';
    const csvHeaders = (type = 'text/csv') => ({ authorization: `Bearer ${A.keys.review_lead}`, 'content-type': type });
    const add = (kind: string, path: string, body: string | Buffer, type?: string) => requests.push({ route, kind: `csv:${kind}`, method: 'POST', path, headers: csvHeaders(type), body });
    const base = '/api/v1/reviews/import';
    const hostileRow = (n: number) => {
      const row = goodRow(n, '2', { incident_type: rnd.pick(['', 'fatality\u0000', 'FATALITY', "' OR 1=1 --", hostile()]) });
      for (const c of ['external_id', 'summary', 'incident_summary', 'finding_1', 'rec_1_text', 'circumstances', 'instrument_version', 'rec_1_owner_agency']) if (rnd.chance(0.6)) row[c] = hostile().replace(/\u0000/g, '');
      return row;
    };
    add('dry-run', `${base}?dryRun=true`, reviewCsv([goodRow(1), goodRow(2, '1')], { bom: true }));
    for (let i = 0; i < 6; i++) add('hostile-cells', `${base}${rnd.chance(0.5) ? '?dryRun=true' : ''}`, reviewCsv([goodRow(10 + i), hostileRow(20 + i)], { eol: rnd.pick(['\r\n', '\n']) }));
    add('formula-row-refused', base, reviewCsv([goodRow(30, '2', { finding_1: '=HYPERLINK("http://evil.example")', incident_month: '13' })]));
    add('bad-dry-run-value', `${base}?dryRun=maybe`, reviewCsv([goodRow(31)]));
    add('unclosed-quote', base, `${reviewCsv([goodRow(32)])}"HIST-9,fatality\r\n`);
    add('wrong-field-count', base, `${reviewCsv([goodRow(33)])}a,b,c\r\n`);
    add('bom-only', base, '\ufeff');
    add('not-utf-8', base, Buffer.concat([Buffer.from(reviewCsv([goodRow(34)]).slice(0, 200)), Buffer.from([0xc0, 0xaf, 0xff])]));
    add('nul', base, reviewCsv([goodRow(35, '2', { summary: 'a\u0000b' })]));
    add('huge-field', base, reviewCsv([goodRow(36, '2', { summary: 'x'.repeat(600_000) })]));
    add('unknown-column', base, reviewCsv([{ ...goodRow(37), __proto__x: '1' }]));
    add('utf-16', base, reviewCsv([goodRow(38)]), 'text/csv; charset=utf-16');
    add('not-csv', base, reviewCsv([goodRow(39)]), 'text/plain');
  }

  // A few across routes: traversal in a whole path, and paths nobody registered.
  for (const path of ['/api/v1/notices/../users', '/api/v1/../../etc/passwd', '/console/assets/..%2F..%2Fpackage.json', '/console/assets/..%5C..%5Cpackage.json', '/dev/mailbox/..%2F..%2F', '/ack/..%2F..%2Fhealth', '/api/v1/%2e%2e/audit', '//api/v1/notices', '/api/v1/notices/%2F', '/docs/..%2F..%2Fpackage.json']) {
    requests.push({ route: '(traversal)', kind: 'traversal', method: 'GET', path, headers: { authorization: `Bearer ${A.keys.author}` } });
  }
  return requests;
}
