import { ACCOUNT_LOCKOUT_AFTER, hashPassword, lockoutFor, PASSWORD_COST, passwordCost, verifyPassword } from './password';

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
    expect(lockoutFor(49, ACCOUNT_LOCKOUT_AFTER)).toBe(0);
    expect(lockoutFor(50, ACCOUNT_LOCKOUT_AFTER)).toBe(60_000);
    expect(lockoutFor(56, ACCOUNT_LOCKOUT_AFTER)).toBe(3_600_000);
  });

  it('hashes at N = 2^15 in every process but a test run, which may ask for less', () => {
    expect(PASSWORD_COST).toBe(32768);
    for (const env of ['production', 'development', undefined]) {
      expect(passwordCost({ NODE_ENV: env, SNE_TEST_SCRYPT_N: '1024' })).toBe(32768);
    }
    expect(passwordCost({ NODE_ENV: 'test' })).toBe(32768);
    expect(passwordCost({ NODE_ENV: 'test', SNE_TEST_SCRYPT_N: '1024' })).toBe(1024);
    for (const asked of ['512', '1000', '65536', 'x', '']) expect(passwordCost({ NODE_ENV: 'test', SNE_TEST_SCRYPT_N: asked })).toBe(32768);
  });

  it('verifies a hash by the cost it records, whatever the cost of new hashes', async () => {
    const before = process.env.SNE_TEST_SCRYPT_N;
    try {
      process.env.SNE_TEST_SCRYPT_N = '32768';
      const strong = await hashPassword('correct horse battery staple');
      process.env.SNE_TEST_SCRYPT_N = '1024';
      const cheap = await hashPassword('correct horse battery staple');
      expect(strong.split('$')[1]).toBe('32768');
      expect(cheap.split('$')[1]).toBe('1024');
      expect(await verifyPassword('correct horse battery staple', strong)).toBe(true);
      expect(await verifyPassword('correct horse battery stapler', strong)).toBe(false);
    } finally {
      if (before === undefined) delete process.env.SNE_TEST_SCRYPT_N;
      else process.env.SNE_TEST_SCRYPT_N = before;
    }
  });
});
