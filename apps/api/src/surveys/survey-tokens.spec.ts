import { groupedCode, newLinkToken, newTeamCode, normalizedCode, plausibleToken, shuffled, storeTokens, tokenHash } from './survey-tokens';

describe('survey tokens', () => {
  it('makes link tokens of 32 random bytes (43 base64url characters) and codes of 16 unambiguous characters', () => {
    const links = Array.from({ length: 200 }, newLinkToken);
    expect(links.every((t) => /^[A-Za-z0-9_-]{43}$/.test(t) && Buffer.from(t, 'base64url').length === 32)).toBe(true);
    expect(new Set(links).size).toBe(200);
    const codes = Array.from({ length: 200 }, newTeamCode);
    expect(codes.every((c) => /^[2-9A-HJKMNP-TV-Z]{16}$/.test(c))).toBe(true);
    expect(codes.join('')).not.toMatch(/[01ILOU]/);
  });

  it('reads a typed code in any case, with spaces or dashes, and refuses anything else', () => {
    const code = newTeamCode();
    expect(normalizedCode(groupedCode(code).toLowerCase())).toBe(code);
    expect(normalizedCode(` ${code.slice(0, 8)} ${code.slice(8)} `)).toBe(code);
    for (const typed of ['', 'ABCD-EFGH', `${code}X`, 'O000-IIII-LLLL-UUUU', `${code.slice(0, 15)}!`]) expect(normalizedCode(typed)).toBeUndefined();
    expect(groupedCode('ABCDEFGHJKMNPQRS')).toBe('ABCD-EFGH-JKMN-PQRS');
  });

  it('looks up only what could be a token', () => {
    expect(plausibleToken(newLinkToken())).toBe(true);
    expect(plausibleToken(newTeamCode())).toBe(true);
    for (const t of ['', 'short', 'x'.repeat(44), '../../etc/passwd', newTeamCode().toLowerCase()]) expect(plausibleToken(t)).toBe(false);
  });

  it('hashes with SHA-256 (32 bytes), never storing the token itself', () => {
    expect(tokenHash('abc').toString('hex')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('shuffles into every order, keeping every item', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 600; i++) {
      const s = shuffled(['a', 'b', 'c']);
      expect([...s].sort()).toEqual(['a', 'b', 'c']);
      seen.add(s.join(''));
    }
    expect(seen.size).toBe(6);
  });

  it('stores every hash with its team in ONE statement, in an order unrelated to the list', async () => {
    const calls: { sql: string; params: unknown[] }[] = [];
    const m = { query: async (sql: string, params: unknown[]) => void calls.push({ sql, params }) };
    const tokens = Array.from({ length: 50 }, (_, i) => ({ teamId: i % 2 ? 'team-b' : 'team-a', token: `token-${i}` }));
    await storeTokens(m as never, 'wave', 'email', tokens);
    expect(calls).toHaveLength(1);
    expect(calls[0].sql).toMatch(/INSERT INTO survey_tokens[\s\S]*unnest/);
    const [hashes, teams, wave, channel] = calls[0].params as [Buffer[], string[], string, string];
    expect([wave, channel]).toEqual(['wave', 'email']);
    // Each hash still travels with its own token's team…
    const byHash = new Map(tokens.map((t) => [tokenHash(t.token).toString('hex'), t.teamId]));
    expect(hashes.map((h, i) => byHash.get(h.toString('hex')) === teams[i]).every(Boolean)).toBe(true);
    // …but not in the list's order (50! orders: the chance of the same one is nil).
    expect(hashes.map((h) => h.toString('hex'))).not.toEqual(tokens.map((t) => tokenHash(t.token).toString('hex')));
    await storeTokens(m as never, 'wave', 'code', []);
    expect(calls).toHaveLength(1);
  });
});
