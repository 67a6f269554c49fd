/**
 * JSON's null in any field of any body: class-validator's @IsOptional lets a null through, so a
 * field a column needs (an agency's name, its contacts) reached the database and answered 500
 * (re-audit). Every DTO of the API (test/support/fuzz-dtos.ts lists their fields), each field set
 * to null in an otherwise valid request on the caller's own object, with a key the route allows:
 * the answer is never a 5xx. A null a route accepts (clearing an optional value) may change
 * things, so this test has its own stack and asserts only the status and the error's shape.
 * Real stack: PostgreSQL, NATS, HTTP.
 */
import { AUTHORIZATION } from '../../apps/api/src/common/authorization.table';
import { fuzzDtos } from '../support/fuzz-dtos';
import { fuzzContext, fuzzSceneOfBlock } from '../support/fuzz-scene';
import { fill, fuzzTargets } from '../support/fuzz-targets';
import { prng } from '../support/hostile-input';
import { sendRaw } from '../support/raw-http';

jest.setTimeout(120_000);

describe('null in any field of any body', () => {
  const block = fuzzSceneOfBlock();

  it('is never answered with a 5xx, and every refusal is a 4xx with its error body', async () => {
    const { scene } = block;
    const { stack } = scene;
    const x = fuzzContext(scene, prng(0x5eed_0011));
    const dtos = fuzzDtos(x);
    const { ownId, allowedKey } = fuzzTargets(x);
    const failures: string[] = [];
    let sent = 0;
    for (const [route, dto] of Object.entries(dtos)) {
      const rule = AUTHORIZATION[route];
      expect({ route, known: rule !== undefined }).toEqual({ route, known: true });
      const [method, template] = route.split(' ');
      const key = allowedKey(rule.roles);
      for (const field of Object.keys(dto.fields)) {
        const body = { ...dto.valid(), [field]: null };
        const path = fill(template, (p) => encodeURIComponent(ownId(template, p)));
        const res = await sendRaw(stack.url, { method, path, headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) }, body: JSON.stringify(body) });
        sent++;
        if (res.status >= 500) failures.push(`${route} ${field}=null → ${res.status} ${res.text.slice(0, 160)}`);
        else if (res.status >= 400 && !(res.json?.statusCode === res.status && typeof res.json?.error === 'string' && res.json?.message !== undefined)) {
          failures.push(`${route} ${field}=null → ${res.status} without the error body: ${res.text.slice(0, 160)}`);
        }
      }
    }
    expect(sent).toBeGreaterThan(100);
    expect(failures).toEqual([]);
  });
});
