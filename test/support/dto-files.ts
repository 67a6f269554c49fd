import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Every source file of the API that exports a request or answer class (`…Dto`, `…Query`), for specs that walk all of them. */
export function apiDtoFiles(dir = join(__dirname, '..', '..', 'apps', 'api', 'src')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return apiDtoFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') && /export class \w+(Dto|Query)\b/.test(readFileSync(path, 'utf8')) ? [path] : [];
  });
}
