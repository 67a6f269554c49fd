/**
 * The OpenAPI document (/docs/openapi.json) as a contract that tests hold the running app to:
 *  - documentProblems(): every REST operation of the authorization table is in the document (or
 *    excluded below, with the reason), with one success response whose body has a schema
 *    generated from a DTO, and the error responses its table row implies, each with the shared
 *    ErrorResponse body;
 *  - responseProblem(): a real answer's status is one the operation documents, and its body
 *    validates against the documented schema (ajv). Objects are checked strictly: a property the
 *    document does not list is a problem, so the document says everything the API sends.
 */
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { AUTHORIZATION, AuthorizationRule } from '../../apps/api/src/common/authorization.table';

/** Routes that are not part of the REST contract, and why. */
export const EXCLUDED: { pattern: RegExp; why: string }[] = [
  { pattern: /^GET \/$/, why: 'a redirect to the console' },
  { pattern: /^\S+ \/console(\/|$)/, why: 'the web console: HTML pages and form posts' },
  { pattern: /^\S+ \/ack\//, why: "the acknowledgment link's HTML page and its forms (machines use POST /api/v1/acknowledgments/{token})" },
  { pattern: /^\S+ \/dev\/mailbox/, why: 'the dev mailbox: HTML pages, off whenever SMTP_URL is set' },
  { pattern: /^\S+ \/survey(\/|$)/, why: "the survey respondent's HTML pages and forms (the one-time link or team code is the credential)" },
  { pattern: /^\S+ \/docs/, why: 'the API documentation itself' },
];

export const isExcluded = (route: string) => EXCLUDED.some((e) => e.pattern.test(route));

const SAFE = new Set(['GET', 'HEAD']);

/** The error statuses a route can answer by its shape and its table row alone (operations may document more). */
export function impliedErrors(route: string, rule: AuthorizationRule): number[] {
  const [method, path] = route.split(' ');
  const unsafe = !SAFE.has(method);
  const statuses = [400]; // any request can be malformed: its address, its query, its body
  if (rule.roles !== 'public') {
    statuses.push(401);
    if (unsafe || rule.roles !== 'any') statuses.push(403); // a role it lacks, or a session's CSRF token
  }
  if (/:\w+/.test(path)) statuses.push(404);
  if (unsafe) statuses.push(413, 415, 429); // a body too large, not UTF-8, too many writes
  if (path.startsWith('/api/')) statuses.push(500, 503); // a failure nobody expected; the database away
  return statuses;
}

type Json = any;

/** OpenAPI 3.0 schema → JSON Schema for ajv: `nullable`, refs into the document, and strict objects. */
function toJsonSchema(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Json = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'example' || k === 'examples' || k === 'nullable') continue;
    if (k === '$ref') out.$ref = `openapi${v}`;
    else if (k === 'properties' || k === 'additionalProperties' || k === 'items' || k === 'allOf' || k === 'oneOf' || k === 'anyOf' || k === 'not') out[k] = mapValues(k, v);
    else out[k] = v;
  }
  if (schema.properties && schema.additionalProperties === undefined) out.additionalProperties = false;
  if (schema.nullable) {
    if (out.enum) out.enum = [...out.enum, null];
    if (typeof out.type === 'string' && !out.allOf && !out.oneOf && !out.anyOf) out.type = [out.type, 'null'];
    else return { anyOf: [{ type: 'null' }, out] };
  }
  return out;
}

function mapValues(key: string, v: Json): Json {
  if (key === 'properties') return Object.fromEntries(Object.entries(v).map(([p, s]) => [p, toJsonSchema(s)]));
  return typeof v === 'boolean' ? v : toJsonSchema(v);
}

/** `:param` → `{param}`. */
const docPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

export class OpenApiContract {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(readonly doc: Json) {
    addFormats(this.ajv);
    const schemas = Object.entries<Json>(doc.components?.schemas ?? {}).map(([name, schema]) => [name, toJsonSchema(schema)]);
    this.ajv.addSchema({ $id: 'openapi', components: { schemas: Object.fromEntries(schemas) } });
  }

  static async load(baseUrl: string): Promise<OpenApiContract> {
    const res = await fetch(`${baseUrl}/docs/openapi.json`);
    if (res.status !== 200) throw new Error(`/docs/openapi.json answered ${res.status}`);
    return new OpenApiContract(await res.json());
  }

  operation(route: string): Json | undefined {
    const [method, path] = route.split(' ');
    return this.doc.paths?.[docPath(path)]?.[(method === 'HEAD' ? 'GET' : method).toLowerCase()];
  }

  /** Every way the document falls short of the contract, one line each, naming the operation and what it lacks. */
  documentProblems(table: Readonly<Record<string, AuthorizationRule>> = AUTHORIZATION): string[] {
    const problems: string[] = [];
    const errorRef = '#/components/schemas/ErrorResponse';
    for (const [route, rule] of Object.entries(table)) {
      if (isExcluded(route)) {
        if (this.operation(route)) problems.push(`${route}: excluded from the contract, yet in the document`);
        continue;
      }
      const op = this.operation(route);
      if (!op) {
        problems.push(`${route}: not in the OpenAPI document`);
        continue;
      }
      const responses: Record<string, Json> = op.responses ?? {};
      const successes = Object.keys(responses).filter((s) => /^2\d\d$/.test(s));
      if (successes.length !== 1) problems.push(`${route}: documents ${successes.length} success responses (${successes.join(', ') || 'none'}), not one`);
      for (const s of successes) {
        const content: Record<string, Json> = responses[s].content ?? {};
        if (s === '204') {
          if (Object.keys(content).length) problems.push(`${route}: 204 documents a body`);
          continue;
        }
        if (!Object.keys(content).length) problems.push(`${route}: success ${s} has no body schema`);
        for (const [media, { schema }] of Object.entries(content)) {
          if (!schema) problems.push(`${route}: success ${s} (${media}) has no schema`);
          else if (media === 'application/json' && !isGenerated(schema)) problems.push(`${route}: success ${s} (${media}) is not a DTO's schema ($ref), but ${JSON.stringify(schema).slice(0, 80)}`);
        }
      }
      const missing = impliedErrors(route, rule).filter((s) => !responses[s]);
      if (missing.length) problems.push(`${route}: lacks the error responses ${missing.join(', ')}`);
      for (const [s, r] of Object.entries(responses)) {
        if (!/^4\d\d$/.test(s)) continue;
        const ref = r.content?.['application/json']?.schema?.$ref;
        if (ref !== errorRef) problems.push(`${route}: error ${s} does not use the ErrorResponse schema`);
      }
    }
    // Nothing documented that the app does not route.
    const routes = new Set(Object.keys(table).map((r) => { const [m, p] = r.split(' '); return `${m} ${docPath(p)}`; }));
    for (const [path, ops] of Object.entries<Json>(this.doc.paths ?? {})) {
      for (const m of Object.keys(ops)) if (!routes.has(`${m.toUpperCase()} ${path}`)) problems.push(`${m.toUpperCase()} ${path}: documented, but not a route of the authorization table`);
    }
    return problems;
  }

  /** What is wrong with a real answer of `route` (a table key), or undefined. Excluded routes and 5xx are not judged here. */
  responseProblem(route: string, res: { status: number; contentType: string; text: string; json?: unknown }): string | undefined {
    if (isExcluded(route) || res.status >= 500) return undefined;
    const op = this.operation(route);
    if (!op) return 'the route is not in the OpenAPI document';
    const documented = op.responses?.[res.status] ?? op.responses?.default;
    if (!documented) return `answered ${res.status}, which the document does not list (it lists ${Object.keys(op.responses ?? {}).join(', ')})`;
    const media = res.contentType.split(';')[0].trim();
    const content: Record<string, Json> = documented.content ?? {};
    // (An event stream or an export is cut by the test client once its status and type are known.)
    if (!res.text && !media) return Object.keys(content).length ? `answered ${res.status} without a body; the document gives one` : undefined;
    if (!content[media]) return `answered ${res.status} as ${media || 'no content type'}; the document says ${Object.keys(content).join(', ') || 'no body'}`;
    if (media !== 'application/json') return undefined;
    const schema = toJsonSchema(content[media].schema);
    const key = JSON.stringify(schema); // one validator per schema: most errors share ErrorResponse
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(schema);
      this.validators.set(key, validate);
    }
    const body = res.json !== undefined ? res.json : safeParse(res.text);
    if (validate(body)) return undefined;
    const errors = (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '(body)'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` "${e.params.additionalProperty}"` : ''}`);
    return `answered ${res.status} with a body that does not match the documented schema: ${errors.join('; ')}`;
  }
}

/** A DTO's schema: a $ref, or an array of them. */
function isGenerated(schema: Json): boolean {
  return typeof schema.$ref === 'string' || (schema.type === 'array' && typeof schema.items?.$ref === 'string');
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
