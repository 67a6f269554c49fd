import { generateApiKey, hashApiKey, looksLikeApiKey } from './api-key';

describe('api keys', () => {
  it('generates distinct well-formed keys whose hash is stable', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a.key).not.toBe(b.key);
    expect(looksLikeApiKey(a.key)).toBe(true);
    expect(a.key.startsWith(`sne_${a.prefix}_`)).toBe(true);
    expect(hashApiKey(a.key)).toBe(a.hash);
    expect(a.hash).not.toContain(a.key);
  });

  it('rejects malformed keys', () => {
    expect(looksLikeApiKey('sne_short_x')).toBe(false);
    expect(looksLikeApiKey('Bearer sne_abc')).toBe(false);
  });
});
