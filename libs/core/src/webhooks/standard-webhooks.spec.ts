import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import {
  generateWebhookSecret,
  isValidWebhookSecret,
  signatureHeader,
  signWebhook,
  WebhookSecretError,
} from './standard-webhooks';

// The vector from the standardwebhooks libraries' own tests ("sign function works").
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  msgId: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  payload: '{"test": 2432232314}',
  expected: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

function headers(msgId: string, ts: number, signature: string) {
  return { 'webhook-id': msgId, 'webhook-timestamp': String(ts), 'webhook-signature': signature };
}

describe('standard webhooks signing', () => {
  it('matches the official test vector', () => {
    expect(signWebhook(VECTOR.secret, VECTOR.msgId, VECTOR.timestamp, VECTOR.payload)).toBe(VECTOR.expected);
  });

  it('generates whsec_ secrets of 32 random bytes', () => {
    const a = generateWebhookSecret();
    const b = generateWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(32);
    expect(a).not.toBe(b);
    expect(isValidWebhookSecret(a)).toBe(true);
  });

  it('round-trips through the standardwebhooks package verifier', () => {
    const secret = generateWebhookSecret();
    const ts = Math.floor(Date.now() / 1000);
    const body = JSON.stringify({ type: 'notice.published', data: { reference: 'NPCS-2026-0042', title: 'Ünïcödé ✓' } });
    const sig = signWebhook(secret, 'msg_abc-123', ts, body);
    expect(new Webhook(secret).verify(body, headers('msg_abc-123', ts, sig))).toEqual(JSON.parse(body));
  });

  it('fails verification when the body, id or secret differ', () => {
    const secret = generateWebhookSecret();
    const ts = Math.floor(Date.now() / 1000);
    const body = '{"a":1}';
    const sig = signWebhook(secret, 'msg_1', ts, body);
    const wh = new Webhook(secret);
    expect(() => wh.verify('{"a":2}', headers('msg_1', ts, sig))).toThrow(WebhookVerificationError);
    expect(() => wh.verify(body, headers('msg_2', ts, sig))).toThrow(WebhookVerificationError);
    expect(() => new Webhook(generateWebhookSecret()).verify(body, headers('msg_1', ts, sig))).toThrow(
      WebhookVerificationError,
    );
  });

  it('signs with every secret during rotation, and either secret verifies', () => {
    const oldSecret = generateWebhookSecret();
    const newSecret = generateWebhookSecret();
    const ts = Math.floor(Date.now() / 1000);
    const body = '{"rotating":true}';
    const header = signatureHeader([newSecret, oldSecret], 'msg_rot', ts, body);
    const parts = header.split(' ');
    expect(parts).toEqual([signWebhook(newSecret, 'msg_rot', ts, body), signWebhook(oldSecret, 'msg_rot', ts, body)]);
    expect(new Webhook(oldSecret).verify(body, headers('msg_rot', ts, header))).toEqual({ rotating: true });
    expect(new Webhook(newSecret).verify(body, headers('msg_rot', ts, header))).toEqual({ rotating: true });
  });

  it('rejects malformed secrets without echoing them', () => {
    const bad = ['', 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'whsec_', 'whsec_not base64!!', 'whsec_' + Buffer.alloc(8).toString('base64')];
    for (const secret of bad) {
      let caught: unknown;
      try {
        signWebhook(secret, 'msg_1', 1, '{}');
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(WebhookSecretError);
      if (secret.length > 6) expect((caught as Error).message).not.toContain(secret.slice(6));
      expect(isValidWebhookSecret(secret)).toBe(false);
    }
    expect(() => signatureHeader([], 'msg_1', 1, '{}')).toThrow(WebhookSecretError);
  });

  it('rejects message ids and timestamps that would make the signed content ambiguous', () => {
    expect(() => signWebhook(VECTOR.secret, 'msg.1', 1, '{}')).toThrow(TypeError);
    expect(() => signWebhook(VECTOR.secret, 'msg 1', 1, '{}')).toThrow(TypeError);
    expect(() => signWebhook(VECTOR.secret, '', 1, '{}')).toThrow(TypeError);
    expect(() => signWebhook(VECTOR.secret, 'msg_1', 1.5, '{}')).toThrow(TypeError);
    expect(() => signWebhook(VECTOR.secret, 'msg_1', -1, '{}')).toThrow(TypeError);
  });
});
