import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';

/**
 * `?includeOffboarded=true`: lists leave offboarded agencies out unless a partnership admin asks
 * for them (the services ignore it for anyone else). Only `true` and `false` are accepted.
 */
export function IncludeOffboarded(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: Boolean, description: 'Partnership admins: include offboarded agencies (ignored for anyone else)' }),
    IsOptional(),
    Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)),
    IsBoolean({ message: 'includeOffboarded must be true or false' }),
  );
}
