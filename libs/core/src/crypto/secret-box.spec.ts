import { randomBytes } from 'node:crypto';
import { SecretBox } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));

  it('seals so the secret is not in the stored value, and opens it again', () => {
    const sealed = box.seal('whsec_abc');
    expect(sealed).toMatch(/^enc:v1:/);
    expect(sealed).not.toContain('whsec_abc');
    expect(box.seal('whsec_abc')).not.toBe(sealed); // fresh IV each time
    expect(box.open(sealed)).toBe('whsec_abc');
  });

  it('refuses a tampered value or the wrong key', () => {
    const sealed = box.seal('whsec_abc');
    const tampered = sealed.slice(0, -4) + (sealed.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect(() => box.open(tampered)).toThrow();
    expect(() => new SecretBox(randomBytes(32)).open(sealed)).toThrow();
  });

  it('reads values stored before encryption as they are', () => {
    expect(box.open('whsec_plain')).toBe('whsec_plain');
  });

  it('opens values sealed under the previous key during a rotation', () => {
    const oldKey = randomBytes(32);
    const sealedOld = new SecretBox(oldKey).seal('whsec_old');
    const rotated = new SecretBox(randomBytes(32), oldKey);
    expect(rotated.open(sealedOld)).toBe('whsec_old');
    expect(rotated.isCurrent(sealedOld)).toBe(false);
    expect(rotated.isCurrent(rotated.seal('whsec_new'))).toBe(true);
  });
});
