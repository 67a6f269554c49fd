import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync } from 'class-validator';
import { apiDtoFiles } from '../../../../test/support/dto-files';

/**
 * What the OpenAPI document says a body or query must carry, the validation refuses without. A
 * field the document marks required but the validation lets through reaches the service as
 * undefined (CreateReviewDto.incident did, before @IsDefined). Every exported DTO of the API is
 * walked, so a field added later is held to it too. (This does not catch a field both call optional
 * that the service needs: the link's `name` was one; acknowledgment-links.test.ts holds that.)
 */
type Dto = { new (): object; name: string; prototype: object };

/** A request's body or query: it has validation rules (answers' DTOs, which only document, have none). */
function isValidated(dto: Dto): boolean {
  return getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false).length > 0;
}

function dtos(): Dto[] {
  const found = new Map<string, Dto>();
  for (const file of apiDtoFiles()) {
    for (const value of Object.values(require(file) as Record<string, unknown>)) {
      if (typeof value === 'function' && /(Dto|Query)$/.test(value.name) && isValidated(value as Dto)) found.set(value.name, value as Dto);
    }
  }
  return [...found.values()];
}

/** The properties the OpenAPI document marks required (@nestjs/swagger's metadata, inherited ones included). */
function requiredInDocument(dto: Dto): string[] {
  const names = ((Reflect.getMetadata('swagger/apiModelPropertiesArray', dto.prototype) as string[] | undefined) ?? []).map((n) => n.replace(/^:/, ''));
  return [...new Set(names)].filter((name) => {
    const meta = Reflect.getMetadata('swagger/apiModelProperties', dto.prototype, name) as { required?: boolean } | undefined;
    return meta?.required !== false;
  });
}

describe('required fields', () => {
  it('every field the OpenAPI document marks required is refused when missing', () => {
    const all = dtos();
    expect(all.length).toBeGreaterThanOrEqual(40);
    const checked: string[] = [];
    const letThrough: string[] = [];
    for (const dto of all) {
      const errors = validateSync(plainToInstance(dto, {}) as object);
      for (const name of requiredInDocument(dto)) {
        checked.push(`${dto.name}.${name}`);
        if (!errors.some((e) => e.property === name)) letThrough.push(`${dto.name}.${name}`);
      }
    }
    expect(checked.length).toBeGreaterThanOrEqual(40);
    expect(letThrough.sort()).toEqual([]);
  });
});
