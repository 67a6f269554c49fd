import { createHmac } from 'node:crypto';
import { AckTokenError, AckTokenFailure, MAX_ACK_TOKEN_LENGTH, signAckToken, verifyAckToken } from './ack-token';

const SECRET = 'test-ack-secret-0123456789-abcdefghijklmnop';
const OTHER_SECRET = 'another-ack-secret-0123456789-abcdefghijklm';
const NOW = 1_780_000_000;
const PAYLOAD = { ackId: '7f1c2a9e-8d0b-4c4e-9a51-0e6f7d1b2c3d', email: 'duty.officer@agency.example', exp: NOW + 3600 };

/** Signs arbitrary bytes the way the module does, to reach the checks that follow the MAC. */
function signRaw(json: string, secret = SECRET): string {
  const body = Buffer.from(json, 'utf8').toString('base64url');
  const sig = createHmac('sha256', secret).update('sne.ack.v1.' + body).digest('base64url');
  return `${body}.${sig}`;
}

/** 32 bytes take 43 base64url characters; the last one carries 2 unused bits. Setting one decodes to the same bytes. */
function setUnusedBit(token: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const last = alphabet.indexOf(token.at(-1)!);
  const variant = token.slice(0, -1) + alphabet[last ^ 1];
  expect(Buffer.from(variant.split('.')[1], 'base64url')).toEqual(Buffer.from(token.split('.')[1], 'base64url'));
  return variant;
}

function reasonOf(fn: () => unknown): AckTokenFailure | 'no error' {
  try {
    fn();
  } catch (err) {
    if (err instanceof AckTokenError) return err.reason;
    throw err;
  }
  return 'no error';
}

describe('ack tokens', () => {
  it('round-trips', () => {
    const token = signAckToken(PAYLOAD, SECRET);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(verifyAckToken(token, SECRET, NOW)).toEqual(PAYLOAD);
  });

  it('is built exactly as documented (pins the format other code may rely on)', () => {
    const token = signAckToken(PAYLOAD, SECRET);
    expect(token).toBe(signRaw(JSON.stringify(PAYLOAD)));
  });

  it('reports a tampered payload as forged', () => {
    const token = signAckToken(PAYLOAD, SECRET);
    const [, sig] = token.split('.');
    const evil = Buffer.from(JSON.stringify({ ...PAYLOAD, email: 'attacker@evil.example' })).toString('base64url');
    expect(reasonOf(() => verifyAckToken(`${evil}.${sig}`, SECRET, NOW))).toBe('forged');
    const longer = Buffer.from(JSON.stringify({ ...PAYLOAD, exp: PAYLOAD.exp + 1e6 })).toString('base64url');
    expect(reasonOf(() => verifyAckToken(`${longer}.${sig}`, SECRET, NOW))).toBe('forged');
  });

  it('reports a tampered signature as forged', () => {
    const token = signAckToken(PAYLOAD, SECRET);
    const flipped = token.slice(0, -2) + (token.at(-2) === 'A' ? 'B' : 'A') + token.at(-1);
    expect(reasonOf(() => verifyAckToken(flipped, SECRET, NOW))).toBe('forged');
  });

  it('reports a token signed with another secret as forged', () => {
    const token = signAckToken(PAYLOAD, OTHER_SECRET);
    expect(reasonOf(() => verifyAckToken(token, SECRET, NOW))).toBe('forged');
  });

  it('expires at exp', () => {
    const token = signAckToken(PAYLOAD, SECRET);
    expect(verifyAckToken(token, SECRET, PAYLOAD.exp - 1)).toEqual(PAYLOAD);
    expect(reasonOf(() => verifyAckToken(token, SECRET, PAYLOAD.exp))).toBe('expired');
    expect(reasonOf(() => verifyAckToken(token, SECRET, PAYLOAD.exp + 86400))).toBe('expired');
  });

  it('checks the signature before the expiry', () => {
    const token = signAckToken(PAYLOAD, OTHER_SECRET);
    expect(reasonOf(() => verifyAckToken(token, SECRET, PAYLOAD.exp + 1))).toBe('forged');
  });

  describe('malformed tokens', () => {
    const good = () => signAckToken(PAYLOAD, SECRET);
    const cases: Array<[string, () => string]> = [
      ['empty', () => ''],
      ['no dot', () => good().replace('.', '')],
      ['three parts', () => good() + '.abc'],
      ['empty payload part', () => '.' + good().split('.')[1]],
      ['empty signature part', () => good().split('.')[0] + '.'],
      ['non-base64url characters', () => good().replace(/^./, '+')],
      ['padding', () => good() + '='],
      ['short signature', () => good().slice(0, -4)],
      ['non-canonical signature encoding', () => setUnusedBit(good())],
      ['oversize', () => 'a'.repeat(MAX_ACK_TOKEN_LENGTH + 1) + '.' + good().split('.')[1]],
      ['signed but not JSON', () => signRaw('not json')],
      ['signed JSON array', () => signRaw('[1,2,3]')],
      ['signed JSON null', () => signRaw('null')],
      ['missing ackId', () => signRaw(JSON.stringify({ email: PAYLOAD.email, exp: PAYLOAD.exp }))],
      ['missing email', () => signRaw(JSON.stringify({ ackId: PAYLOAD.ackId, exp: PAYLOAD.exp }))],
      ['missing exp', () => signRaw(JSON.stringify({ ackId: PAYLOAD.ackId, email: PAYLOAD.email }))],
      ['exp as string', () => signRaw(JSON.stringify({ ...PAYLOAD, exp: String(PAYLOAD.exp) }))],
      ['fractional exp', () => signRaw(JSON.stringify({ ...PAYLOAD, exp: PAYLOAD.exp + 0.5 }))],
      ['ackId as number', () => signRaw(JSON.stringify({ ...PAYLOAD, ackId: 42 }))],
      ['empty email', () => signRaw(JSON.stringify({ ...PAYLOAD, email: '' }))],
    ];
    it.each(cases)('%s', (_name, make) => {
      expect(reasonOf(() => verifyAckToken(make(), SECRET, NOW))).toBe('malformed');
    });

    it('rejects non-strings as malformed', () => {
      expect(reasonOf(() => verifyAckToken(undefined as unknown as string, SECRET, NOW))).toBe('malformed');
      expect(reasonOf(() => verifyAckToken(123 as unknown as string, SECRET, NOW))).toBe('malformed');
    });
  });

  it('keeps secrets and tokens out of error messages', () => {
    const token = signAckToken(PAYLOAD, OTHER_SECRET);
    try {
      verifyAckToken(token, SECRET, NOW);
      throw new Error('expected a failure');
    } catch (err) {
      expect(String((err as Error).message)).not.toContain(token.split('.')[1]);
      expect(String((err as Error).message)).not.toContain(SECRET);
    }
  });

  it('refuses weak secrets and invalid payloads when signing', () => {
    expect(() => signAckToken(PAYLOAD, 'short')).toThrow(TypeError);
    expect(() => verifyAckToken(signAckToken(PAYLOAD, SECRET), 'short', NOW)).toThrow(TypeError);
    expect(() => signAckToken({ ...PAYLOAD, exp: 1.5 }, SECRET)).toThrow(TypeError);
    expect(() => signAckToken({ ...PAYLOAD, ackId: '' }, SECRET)).toThrow(TypeError);
  });
});
