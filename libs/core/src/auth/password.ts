import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number, options: object) => Promise<Buffer>;

/** scrypt, N = 2^15: about 50 ms and 32 MB per hash, a cost that makes guessing slow. */
export const PASSWORD_COST = 32768;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

/**
 * The work factor new hashes get: PASSWORD_COST, except under jest (NODE_ENV=test), where
 * SNE_TEST_SCRYPT_N (a power of two from 1024 up) may lower it. The grant-rule test alone hashes
 * 810 passwords; at 50 ms and 32 MB each they were about half of its time (280 s at 2^15, 155 s
 * at 2^10). Every hash records its own N, so verifying is the same code at any cost; any process
 * that is not a test run always uses PASSWORD_COST.
 */
export function passwordCost(env: NodeJS.ProcessEnv = process.env): number {
  const asked = Number(env.SNE_TEST_SCRYPT_N);
  const allowed = Number.isInteger(asked) && asked >= 1024 && asked <= PASSWORD_COST && (asked & (asked - 1)) === 0;
  return env.NODE_ENV === 'test' && allowed ? asked : PASSWORD_COST;
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const N = passwordCost();
  const hash = await scryptAsync(password, salt, KEY_LENGTH, { N, r: R, p: P, maxmem: 64 * 1024 * 1024 });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  const parts = stored?.split('$');
  if (!parts || parts.length !== 6 || parts[0] !== 'scrypt') {
    // Same work for a missing hash, so timing does not tell which accounts exist.
    await hashPassword(password);
    return false;
  }
  const [, n, r, p, salt, hash] = parts;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 64 * 1024 * 1024,
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * After this many failures in a row for one email from one client address, each further failure
 * locks that pair, doubling from 1 minute up to an hour. Other addresses are not locked.
 */
export const LOCKOUT_AFTER = 5;
/** After this many failures in a row from any addresses, the account itself locks the same way. */
export const ACCOUNT_LOCKOUT_AFTER = 50;

export function lockoutFor(failures: number, after = LOCKOUT_AFTER): number {
  if (failures < after) return 0;
  return Math.min(60, 2 ** (failures - after)) * 60_000;
}
