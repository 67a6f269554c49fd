import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath, OpenAPIObject } from '@nestjs/swagger';

/**
 * The OpenAPI contract's shared pieces: the one error body, the error responses an operation
 * documents (ApiErrors), and success bodies that are not one JSON schema (text, streams, CSV).
 * test/e2e/openapi.test.ts fails when an operation lacks its success body or an error response.
 */

/** A de-identification finding: where in which field, what kind, and why it was flagged. */
export class FindingResponse {
  @ApiProperty({ example: 'body', description: 'The field the text is in ("body", "requiredActions[0]", …)' }) field: string;
  @ApiProperty({ description: 'Offset of the first character in that field (UTF-16 code units)' }) start: number;
  @ApiProperty({ description: 'Offset after the last character' }) end: number;
  @ApiProperty({ description: 'The flagged text exactly' }) text: string;
  @ApiProperty({ example: 'phone', description: 'The kind of identifier' }) kind: string;
  @ApiProperty({ description: 'Why it was flagged' }) reason: string;
}

/** A problem with one field of a record ("incident.ageBand", "ratings", "findings[0].text"). */
export class ProblemResponse {
  @ApiProperty({ example: 'incident.ageBand' }) field: string;
  @ApiProperty({ example: 'must be one of under_1, 1_3, 4_6, 7_12, 13_17' }) message: string;
}

/** Every error: `{ statusCode, error, message }`, with detail a client can act on where there is some. */
export class ErrorResponse {
  @ApiProperty({ example: 400, description: 'The HTTP status again' }) statusCode: number;
  @ApiProperty({ example: 'Bad Request', description: 'The status reason phrase' }) error: string;
  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    example: ['title must be shorter than or equal to 200 characters'],
    description: 'What is wrong: one sentence, or one per failed field check',
  })
  message: string | string[];
  @ApiPropertyOptional({ description: 'On a 500 only: the id under which the failure was logged' }) errorId?: string;
  @ApiPropertyOptional({ type: [FindingResponse], description: 'On a 422 from the de-identification guard: each finding that still stands' })
  findings?: FindingResponse[];
  @ApiPropertyOptional({ type: [ProblemResponse], description: 'On a 400 from a record check (reviews): each problem by its field' })
  problems?: ProblemResponse[];
  @ApiPropertyOptional({ type: 'integer', description: "On a 409 from approving a notice whose recipients changed since they were reviewed: how many there are now" })
  recipientCount?: number;
  @ApiPropertyOptional({ description: 'With recipientCount: the digest of the recipient list now, to confirm with' }) recipientsDigest?: string;
  @ApiPropertyOptional({ type: 'integer', description: 'On a 429 from a reminder or resend sent too soon, or a secret rotation while the most rotated-out secrets still sign: seconds until the next one may go (also in Retry-After)' })
  retryAfterSeconds?: number;
}

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 422 | 429;

const MEANING: Record<ErrorStatus, string> = {
  400: 'Malformed request: not UTF-8 or not well-formed text, invalid JSON, a repeated key, or a value that fails validation',
  401: 'No credentials, or an API key or session that is not valid (expired, revoked, unknown)',
  403: "The caller's roles do not allow this, a rule forbids it (e.g. the two-person rule), or a session's CSRF token is missing",
  404: "Not found, or not visible to the caller's agency",
  409: 'Conflicts with the current state (e.g. not a draft, already exists)',
  410: 'The acknowledgment link has expired',
  413: 'The body is larger than the limit (BODY_LIMIT)',
  415: 'The body is not UTF-8 (another charset) or uses a content encoding the API does not take',
  422: 'Well-formed, but refused: the de-identification guard found text that may identify a child or family',
  429: 'Too many requests: retry after the seconds in Retry-After',
};

/**
 * The error responses of an operation (on a controller: of each of its operations), all with the
 * ErrorResponse body; `[status, description]` says what that status means on this operation.
 */
export function ApiErrors(...errors: (ErrorStatus | [ErrorStatus, string])[]) {
  return applyDecorators(
    ...errors.map((e) => {
      const [status, description] = typeof e === 'number' ? [e, MEANING[e]] : e;
      return ApiResponse({ status, description, type: ErrorResponse });
    }),
  );
}

/** What every request with a body can also meet: too large, not UTF-8, rate limited. */
export const BODY_ERRORS = [413, 415, 429] as const satisfies readonly ErrorStatus[];

/** A success body that is text rather than JSON (metrics, event streams, JSON lines). */
export function ApiTextResponse(contentType: string, description: string, status = 200) {
  return ApiResponse({ status, description, content: { [contentType]: { schema: { type: 'string' } } } });
}

/** A report: JSON by default, CSV with `?format=csv` or `Accept: text/csv` (the rows, one per line). */
export function ApiReportResponse(type: new (...args: never[]) => unknown) {
  return applyDecorators(
    ApiExtraModels(type),
    ApiOkResponse({
      description: 'JSON, or CSV of the rows',
      content: { 'application/json': { schema: { $ref: getSchemaPath(type) } }, 'text/csv': { schema: { type: 'string' } } },
    }),
  );
}

/** An ISO 8601 date-time in UTC, as the API writes every time. */
export const ApiDateTime = (o: { nullable?: boolean; required?: boolean; description?: string } = {}) =>
  ApiProperty({ type: String, format: 'date-time', ...o });

/** A JSON value of any shape (an audit event's before/after, a diff). */
export const ApiAnyJson = (o: { description?: string; required?: boolean } = {}) =>
  ApiProperty({ nullable: true, description: o.description, required: o.required, oneOf: [{ type: 'object', additionalProperties: true }, { type: 'array', items: {} }, { type: 'string' }, { type: 'number' }, { type: 'boolean' }] });

/**
 * Every API operation can also answer 500 (an unexpected failure, logged under its errorId) and
 * 503 (the database is unavailable: retry after Retry-After). Said once for all of them here, so
 * no operation can forget to.
 */
export function withServerErrors(document: OpenAPIObject): OpenAPIObject {
  const body = { content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } } };
  for (const [path, item] of Object.entries(document.paths)) {
    if (!path.startsWith('/api/')) continue;
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = item[method];
      if (!operation) continue;
      operation.responses['500'] ??= { description: 'An unexpected failure: logged under the errorId in the body; the stack trace is never sent', ...body };
      operation.responses['503'] ??= { description: 'The database is unavailable: retry after the seconds in Retry-After', ...body };
    }
  }
  return document;
}
