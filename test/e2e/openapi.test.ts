/**
 * The OpenAPI document served by the running app (/docs/openapi.json) documents every REST
 * operation: its success body as a DTO's schema (or text for streams and metrics, nothing for a
 * 204), and the errors it can answer with the shared ErrorResponse body. A route added without
 * them fails here, named with what it lacks. Real answers are held to the same document by
 * test/e2e/authorization-matrix.test.ts (every route, every role) and test/e2e/fuzz.test.ts
 * (every route, hostile input).
 */
import { AUTHORIZATION } from '../../apps/api/src/common/authorization.table';
import { EXCLUDED, isExcluded, OpenApiContract } from '../support/openapi-contract';
import { startStack, Stack } from '../support/stack';

describe('OpenAPI: every operation documents its success and error bodies', () => {
  let stack: Stack;
  let contract: OpenApiContract;

  beforeAll(async () => {
    stack = await startStack();
    contract = await OpenApiContract.load(stack.url);
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('has every REST route of the authorization table, each with its success body and its error responses', () => {
    const operations = Object.keys(AUTHORIZATION).filter((r) => !isExcluded(r));
    console.log(
      `OpenAPI contract: ${operations.length} operations checked; excluded: ` +
        EXCLUDED.map((e) => `${Object.keys(AUTHORIZATION).filter((r) => e.pattern.test(r)).length} (${e.why})`).join('; '),
    );
    expect(operations.length).toBeGreaterThanOrEqual(60);
    expect(contract.documentProblems()).toEqual([]);
  });

  it('catches what it is meant to catch (the checks themselves)', () => {
    const doc = structuredClone(contract.doc);
    const login = doc.paths['/api/v1/auth/login'].post;
    delete login.responses['200'].content;
    delete login.responses['429'];
    delete doc.paths['/api/v1/topics'].post.responses['503'];
    doc.paths['/api/v1/notices'].post.responses['201'].content['application/json'].schema = { type: 'object', properties: { id: { type: 'string' } } };
    delete doc.paths['/api/v1/topics'].get;
    doc.paths['/api/v1/users/{id}'].get.responses['404'].content['application/json'].schema = { type: 'object' };
    doc.paths['/api/v1/unrouted'] = { get: doc.paths['/health/live'].get };
    const broken = new OpenApiContract(doc);
    expect(broken.documentProblems().sort()).toEqual(
      [
        'POST /api/v1/auth/login: success 200 has no body schema',
        'POST /api/v1/auth/login: lacks the error responses 429',
        'POST /api/v1/topics: lacks the error responses 503',
        'POST /api/v1/notices: success 201 (application/json) is not a DTO\'s schema ($ref), but {"type":"object","properties":{"id":{"type":"string"}}}',
        'GET /api/v1/topics: not in the OpenAPI document',
        'GET /api/v1/users/:id: error 404 does not use the ErrorResponse schema',
        'GET /api/v1/unrouted: documented, but not a route of the authorization table',
      ].sort(),
    );

    const json = (status: number, body: unknown) => ({ status, contentType: 'application/json; charset=utf-8', text: JSON.stringify(body), json: body });
    const topic = { key: 'safe-sleep', title: 'Safe sleep', description: '', retiredAt: null, createdAt: '2026-01-01T00:00:00.000Z' };
    expect(contract.responseProblem('POST /api/v1/topics', json(201, topic))).toBeUndefined();
    expect(contract.responseProblem('POST /api/v1/topics', json(201, { ...topic, secret: 'x' }))).toMatch(/must NOT have additional properties "secret"/);
    expect(contract.responseProblem('POST /api/v1/topics', json(201, { ...topic, createdAt: 'yesterday' }))).toMatch(/\/createdAt must match format "date-time"/);
    expect(contract.responseProblem('POST /api/v1/topics', json(201, { key: 'x' }))).toMatch(/must have required property/);
    expect(contract.responseProblem('POST /api/v1/topics', json(410, { statusCode: 410, error: 'Gone', message: 'x' }))).toMatch(/answered 410, which the document does not list/);
    expect(contract.responseProblem('POST /api/v1/topics', json(409, { statusCode: 409, message: 'x' }))).toMatch(/required property 'error'/);
    expect(contract.responseProblem('POST /api/v1/topics', { status: 409, contentType: 'text/html', text: '<p>no</p>' })).toMatch(/as text\/html/);
    expect(contract.responseProblem('GET /console', { status: 200, contentType: 'text/html', text: '<p>page</p>' })).toBeUndefined();
  });
});
