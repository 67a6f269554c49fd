import { ArgumentMetadata, BadRequestException, HttpException, Logger, ValidationPipe } from '@nestjs/common';
import { DECORATORS } from '@nestjs/swagger';
import { getMetadataStorage } from 'class-validator';

/**
 * The global ValidationPipe, except that a validator or transformer that throws on a client's
 * value (validator.js's URIError on odd text, a RangeError from a huge number or a deep value…)
 * is the client's input failing validation: a 400, never a 500. The error's kind is logged so the
 * validator can be fixed; the value is not (it may hold anything).
 */
export class InputValidationPipe extends ValidationPipe {
  private readonly log = new Logger('InputValidationPipe');

  constructor() {
    super({ whitelist: true, forbidNonWhitelisted: true, transform: true, stopAtFirstError: false, forbidUnknownValues: true });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const nulls = metadata.type === 'body' ? nullsRefused(value, metadata.metatype) : [];
    if (nulls.length) throw new BadRequestException(nulls.map((k) => `${k} must not be null`));
    let result: unknown;
    try {
      result = await super.transform(value, metadata);
    } catch (err) {
      if (err instanceof HttpException) throw err;
      const where = metadata.type === 'custom' ? 'a value' : `the ${metadata.type}${metadata.data ? ` ${metadata.data}` : ''}`;
      this.log.warn(`validating ${where} threw ${(err as Error)?.name ?? typeof err}: refused as 400`);
      throw new BadRequestException(`${where} could not be validated: check its type and characters`);
    }
    const blanks = metadata.type === 'body' ? blanksRefused(result) : [];
    if (blanks.length) throw new BadRequestException(blanks.map((k) => `${k} must not be blank`));
    return result;
  }
}

/**
 * Fields with a minimum length that hold only spaces (or other white space): "   " passes
 * @MinLength(1) and then reads as a name, a title or a reason that says nothing (an outside audit
 * acknowledged a notice as "" this way). Walks the validated DTO and its nested DTOs.
 */
function blanksRefused(dto: unknown, at = ''): string[] {
  if (dto === null || typeof dto !== 'object') return [];
  if (Array.isArray(dto)) return dto.flatMap((item, i) => blanksRefused(item, `${at}[${i}]`));
  const found: string[] = [];
  const record = dto as Record<string, unknown>;
  // A body without a DTO class (a console form parsed into a null-prototype object) has no rules.
  const type = (dto as { constructor?: unknown }).constructor;
  const minimums = (typeof type === 'function' ? getMetadataStorage().getTargetValidationMetadatas(type, '', true, false) : []).filter(
    (m) => m.name === 'minLength' && Number(m.constraints?.[0]) > 0,
  );
  for (const m of minimums) {
    const v = record[m.propertyName];
    const path = at ? `${at}.${m.propertyName}` : m.propertyName;
    if (typeof v === 'string' && !/\S/.test(v)) found.push(path);
    if (m.each && Array.isArray(v)) v.forEach((item, i) => typeof item === 'string' && !/\S/.test(item) && found.push(`${path}[${i}]`));
  }
  for (const [key, v] of Object.entries(record)) if (v !== null && typeof v === 'object') found.push(...blanksRefused(v, at ? `${at}.${key}` : key));
  return found;
}

/**
 * Fields of a body sent as JSON's null that its contract does not allow to be null. @IsOptional
 * lets null through as if the field were absent, and a service would then write it (a NOT NULL
 * column: 500) or call a method on it. The OpenAPI document decides: a field may be null only
 * where its @ApiProperty says `nullable: true` (a review's lead, cleared with null).
 */
function nullsRefused(value: unknown, metatype: ArgumentMetadata['metatype']): string[] {
  if (!metatype || typeof metatype !== 'function' || value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  const body = value as Record<string, unknown>;
  return Object.keys(body).filter((key) => {
    if (body[key] !== null) return false;
    const property = Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES, metatype.prototype, key) as { nullable?: boolean } | undefined;
    // An undocumented field is left to the whitelist, which refuses it by name.
    return property !== undefined && !property.nullable;
  });
}
