import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiResponse } from '@nestjs/swagger';

/** Every error the API answers: `{ statusCode, error, message }`. */
export class ErrorResponse {
  @ApiProperty({ example: 404 }) statusCode: number;
  @ApiProperty({ example: 'Not Found' }) error: string;
  @ApiProperty({ oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }], example: 'user not found' }) message: string | string[];
}

const MEANING: Record<number, string> = {
  400: 'The request is malformed or fails validation',
  401: 'No valid API key or session',
  403: 'The caller lacks the role, or the action is refused (see the message)',
  404: 'No such object, or one the caller may not reach',
  409: 'The object is not in a state that allows this',
};

/** Documents the error answers of an operation, each with the error body; `detail` overrides the generic meaning. */
export function ApiErrors(...errors: (number | [number, string])[]) {
  return applyDecorators(
    ...errors.map((e) => {
      const [status, description] = typeof e === 'number' ? [e, MEANING[e] ?? 'Error'] : e;
      return ApiResponse({ status, description, type: ErrorResponse });
    }),
  );
}
