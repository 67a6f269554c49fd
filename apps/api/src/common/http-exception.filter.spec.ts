import { ConflictException, HttpException, UnprocessableEntityException } from '@nestjs/common';
import { DatabaseAvailability } from '@sne/core';
import { HttpExceptionFilter } from './http-exception.filter';

describe('HttpExceptionFilter: error bodies hold what ErrorResponse documents, nothing else', () => {
  const filter = new HttpExceptionFilter({} as DatabaseAvailability);

  it('keeps every documented detail', () => {
    const findings = [{ kind: 'name', text: 'Ann', start: 0, end: 3 }];
    expect(filter.toBody(new UnprocessableEntityException({ message: 'may identify', findings }))).toEqual({ statusCode: 422, error: 'Unprocessable Entity', message: 'may identify', findings });
    expect(filter.toBody(new ConflictException({ message: 'changed', recipientCount: 3, recipientsDigest: 'abc' }))).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: 'changed',
      recipientCount: 3,
      recipientsDigest: 'abc',
    });
    expect(filter.toBody(new HttpException({ statusCode: 429, message: 'too soon', retryAfterSeconds: 60 }, 429))).toMatchObject({ retryAfterSeconds: 60 });
  });

  it('leaves out a detail the document does not give (a new throw must document it first)', () => {
    expect(filter.toBody(new ConflictException({ message: 'changed', internal: 'x', recipientCount: 2 }))).toEqual({ statusCode: 409, error: 'Conflict', message: 'changed', recipientCount: 2 });
  });
});
