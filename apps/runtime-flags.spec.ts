import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppName, productionNodeFlags } from '../bench/lib/apps';

/**
 * The README promises that compose.yaml starts each app with the node flags of its
 * `npm run start:<app>` script (the courier's heap budget and young generation, the
 * dispatcher's budget); the bench reads the flags from those scripts.
 */
const compose = readFileSync(join(__dirname, '..', 'compose.yaml'), 'utf8');

/** Every compose service that runs `app`, with the flags its command gives node. */
function composeFlags(app: string): { service: string; flags: string[] }[] {
  const found: { service: string; flags: string[] }[] = [];
  let service = '';
  for (const line of compose.split('\n')) {
    const name = /^ {2}([A-Za-z0-9_-]+):\s*$/.exec(line);
    if (name) service = name[1];
    const command = /^ {4}command:\s*(\[.*\])\s*$/.exec(line);
    if (!command) continue;
    const argv: string[] = JSON.parse(command[1]);
    const main = argv.indexOf(`dist/apps/${app}/src/main.js`);
    if (argv[0] === 'node' && main > 0) found.push({ service, flags: argv.slice(1, main) });
  }
  return found;
}

describe('node flags: compose.yaml and the start scripts agree', () => {
  it.each<[AppName, number]>([
    ['api', 1],
    ['dispatcher', 1],
    ['courier', 2],
  ])('%s (%i service(s))', (app, services) => {
    const expected = productionNodeFlags(app);
    const found = composeFlags(app);
    expect(found).toHaveLength(services);
    for (const s of found) expect({ service: s.service, flags: s.flags }).toEqual({ service: s.service, flags: expected });
  });

  it('the courier budget grows with its semi-spaces (budget minus both semi-spaces stays at 192 - 2 x 16 MB or more)', () => {
    // Semi-spaces raised without the budget squeeze the old generation: 64 MB semi-spaces under a
    // 192 MB budget made the courier run a full mark-compact about every 100 ms with ~71 MB in use
    // (README, "The courier's heap"). 16 MB is V8's default semi-space on 64-bit Node 20.
    const flags = Object.fromEntries(productionNodeFlags('courier').map((f) => f.replace(/^--/, '').split('=')) as [string, string][]);
    const room = Number(flags['max-old-space-size']) - 2 * Number(flags['max-semi-space-size'] ?? 16);
    expect(room).toBeGreaterThanOrEqual(192 - 2 * 16);
  });
});
