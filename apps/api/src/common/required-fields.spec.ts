import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync } from 'class-validator';

/**
 * What the OpenAPI document says a body or query must carry, the validation refuses without. A
 * field the document marks required but the validation lets through reaches the service as
 * undefined (once: a subclass re-declared its parent's optional `name` as required, class-validator
 * kept the parent's @IsOptional(), and the answer was a 500). Every exported DTO of the API is
 * walked, so a field added later is held to it too.
 */
function dtoFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return dtoFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') && /export class \w+(Dto|Query)\b/.test(readFileSync(path, 'utf8')) ? [path] : [];
  });
}

type Dto = { new (): object; name: string; prototype: object };

/** A request's body or query: it has validation rules (answers' DTOs, which only document, have none). */
function isValidated(dto: Dto): boolean {
  return getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false).length > 0;
}

function dtos(): Dto[] {
  const found = new Map<string, Dto>();
  for (const file of dtoFiles(join(__dirname, '..'))) {
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
