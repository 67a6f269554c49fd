/**
 * Fuzzing every route of the authorization table with generated hostile requests (a seeded PRNG,
 * so every run sends the same ones): malformed JSON, wrong types for every DTO field, huge and
 * deeply nested values, null bytes, RTL and lone surrogates, SQL and template injection,
 * prototype keys, bad and foreign ids, path traversal, missing / forged / expired / revoked
 * credentials, sessions without their CSRF token, wrong content types, oversized bodies and huge
 * query strings. And text that is not text, on every route, signed in and anonymous
 * (support/malformed-requests.ts): lone surrogates (high, low, reversed) in every field of every
 * JSON body, bytes that are not UTF-8 (stray, truncated, overlong, CESU-8, Latin-1 and
 * Windows-1252 mixed in), NULs, UTF-8 and UTF-16 BOMs, bodies in one encoding labelled as another,
 * absurd nesting, out-of-range numbers and repeated keys; the same in form bodies, multipart
 * parts, path parameters and query values.
 *
 * Asserted: no answer is a 5xx; every API error is `{ statusCode, error, message }` (the HTML
 * pages, /ack and /console, may answer with pages); every answer of a REST route is one the
 * OpenAPI document gives for it (status, and body against its schema); and no row of any table
 * changed (every table is fingerprinted before and after, minus the columns a read moves).
 *
 * Every request is built to be refused somewhere: a write with valid credentials on the caller's
 * own object always carries something the validation or the service rejects (a wrong type, an
 * unknown field, an unknown topic, an id of another agency, malformed text…). A request that
 * slipped through would change a row, and the fingerprint would show it.
 */
import { AUTHORIZATION } from '../../apps/api/src/common/authorization.table';
import { changedTables, fingerprint, settledFingerprint } from '../support/fingerprint';
import { generateFuzzRequests } from '../support/fuzz-requests';
import { fuzzContext, fuzzSceneOfBlock } from '../support/fuzz-scene';
import { apiOf } from '../support/fuzz-targets';
import { prng } from '../support/hostile-input';
import { OpenApiContract } from '../support/openapi-contract';
import { RawResponse, sendRaw } from '../support/raw-http';

const SEED = 0x5eed_2026;

describe('fuzz: ≥ 2,000 hostile requests across every route', () => {
  const block = fuzzSceneOfBlock();

  it('answers every generated request with a 4xx (or a success that changes nothing), never a 5xx, and changes no row', async () => {
    const { scene } = block;
    const { stack } = scene;
    const rnd = prng(SEED);
    // What each DTO takes, whom each request aims at, and the requests themselves: support/fuzz-*.ts.
    const requests = generateFuzzRequests(fuzzContext(scene, rnd));

    // ── send, with a little concurrency ───────────────────────────────────────────────────
    const contract = await OpenApiContract.load(stack.url);
    // Wait until the background work (sealing the audit chain, the relay) has settled.
    const before = await settledFingerprint(stack.db);

    const problems: string[] = [];
    const byStatus: Record<string, number> = {};
    const byKind: Record<string, number> = {};
    let reachedHandlers = 0;
    let sent = 0;
    const queue = [...requests];
    async function worker() {
      for (;;) {
        const r = queue.shift();
        if (!r) return;
        let res: RawResponse;
        try {
          res = await sendRaw(stack.url, r);
        } catch (err) {
          // A refused oversized body can reset the connection before the answer is read.
          if (r.kind === 'oversized-body' || (r.body && Buffer.byteLength(r.body) > 200_000)) {
            byStatus['reset'] = (byStatus['reset'] ?? 0) + 1;
            sent++;
            continue;
          }
          problems.push(`${r.method} ${r.path.slice(0, 120)} [${r.kind}]: ${(err as Error).message}`);
          continue;
        }
        sent++;
        byStatus[res.status] = (byStatus[res.status] ?? 0) + 1;
        const family = r.kind.split(':')[0];
        byKind[family] = (byKind[family] ?? 0) + 1;
        if (![401, 403, 429].includes(res.status) && !(res.status === 303 && r.kind === 'bad-auth')) reachedHandlers++;
        const what = `${r.method} ${r.path.slice(0, 140)} [${r.route} · ${r.kind}]`;
        if (res.status >= 500) problems.push(`${what}: ${res.status} ${res.text.slice(0, 300)}`);
        if (res.status >= 400) {
          const shaped = (() => {
            try {
              const b = JSON.parse(res.text);
              return b.statusCode === res.status && typeof b.error === 'string' && (typeof b.message === 'string' || Array.isArray(b.message));
            } catch {
              return false;
            }
          })();
          const page = !apiOf(r.path.split('?')[0]) && /^text\/(html|plain)/.test(res.contentType);
          if (!shaped && !page) problems.push(`${what}: error without the {statusCode, error, message} shape (${res.contentType}): ${res.text.slice(0, 200)}`);
        }
        // And the answer is one the OpenAPI document gives for the operation (a wrong method or a traversal reaches another, or none).
        if (r.kind !== 'wrong-method' && r.route !== '(traversal)') {
          const undocumented = contract.responseProblem(r.route, res);
          if (undocumented) problems.push(`${what}: OpenAPI: ${undocumented}`);
        }
      }
    }
    await Promise.all(Array.from({ length: 8 }, worker));
    // Let anything a request might have started (an outbox row, a job) land before comparing.
    await new Promise((r) => setTimeout(r, 2000));
    // A well-formed sign-in with a wrong password is meant to count against its email and address
    // (the sign-in lock's bookkeeping); only those may be there, never a malformed request's.
    const counted = await stack.db.query(`SELECT email FROM sign_in_failures`);
    expect(counted.filter((r: { email: string }) => !/^nobody-\d+@nowhere\.test$/.test(r.email))).toEqual([]);
    const changed = changedTables(before, await fingerprint(stack.db)).filter((t) => t !== 'sign_in_failures');

    console.log(
      `fuzz: ${sent} requests sent (seed ${SEED.toString(16)}), ${requests.length} generated over ${Object.keys(AUTHORIZATION).length} routes; ` +
        `${reachedHandlers} got past authentication and authorization\n` +
        `by status: ${Object.entries(byStatus).map(([s, n]) => `${s}×${n}`).join(' ')}\n` +
        `by kind: ${Object.entries(byKind).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k}×${n}`).join(' ')}`,
    );
    expect(sent).toBeGreaterThanOrEqual(2000);
    expect({ problems, changedTables: changed }).toEqual({ problems: [], changedTables: [] });
  }, 300_000);
});
