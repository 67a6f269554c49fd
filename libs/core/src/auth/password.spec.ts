import { hashPassword, lockoutFor, verifyPassword } from './password';

describe('passwords', () => {
  it('verifies the right password only, with a salted hash', async () => {
    const a = await hashPassword('correct horse battery staple');
    const b = await hashPassword('correct horse battery staple');
    expect(a).not.toBe(b);
    expect(a).not.toContain('correct');
    expect(await verifyPassword('correct horse battery staple', a)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', a)).toBe(false);
    expect(await verifyPassword('anything', null)).toBe(false);
    expect(await verifyPassword('anything', 'md5$abc')).toBe(false);
  });

  it('locks out with backoff after repeated failures', () => {
    expect(lockoutFor(4)).toBe(0);
    expect(lockoutFor(5)).toBe(60_000);
    expect(lockoutFor(6)).toBe(120_000);
    expect(lockoutFor(20)).toBe(3_600_000);
  });
});
