import { maskDelivery, maskText, originOf, seesFullTarget } from './delivery-redaction';

const hook = 'https://user:pw@hooks.chat.example:8443/services/T0001/B0002/XoXsEcReTtOkEn?token=s3cr3t';

describe('delivery redaction', () => {
  it('cuts a webhook URL to its origin, credentials, path and query gone', () => {
    expect(originOf(hook)).toBe('https://hooks.chat.example:8443');
    expect(originOf('not a url')).toBe('');
  });

  it('masks URLs and addresses inside errors and SMTP replies', () => {
    expect(maskText(`bounce.box@tribe.test: 550 5.1.1 <bounce.box@tribe.test> unknown; see ${hook}`)).toBe(
      '***@tribe.test: 550 5.1.1 <***@tribe.test> unknown; see https://hooks.chat.example:8443',
    );
    expect(maskText('HTTP 500')).toBe('HTTP 500');
    expect(maskText(null)).toBeNull();
  });

  it("shows the agency its own deliveries whole, and its contacts' email whole to everyone who sees it", () => {
    const base = { agencyId: 'a', subscriptionId: 's' as string | null };
    expect(seesFullTarget({ agencyId: 'a' }, { ...base, channel: 'webhook' })).toBe(true);
    expect(seesFullTarget({ agencyId: 'issuer' }, { ...base, channel: 'webhook' })).toBe(false);
    expect(seesFullTarget({ agencyId: 'issuer' }, { ...base, channel: 'email' })).toBe(false);
    expect(seesFullTarget({ agencyId: 'issuer' }, { ...base, channel: 'email', subscriptionId: null })).toBe(true);
  });

  it("masks another agency's webhook delivery: target, attempts and errors", () => {
    const d = {
      agencyId: 'a',
      channel: 'webhook',
      subscriptionId: 's',
      target: hook,
      lastError: null,
      attempts: [{ recipient: hook, smtpResponse: null, error: `connect ECONNREFUSED ${hook}` }],
    };
    expect(maskDelivery({ agencyId: 'a' }, d)).toBe(d);
    expect(maskDelivery({ agencyId: 'issuer' }, d)).toEqual({
      ...d,
      target: 'https://hooks.chat.example:8443',
      attempts: [{ recipient: 'https://hooks.chat.example:8443', smtpResponse: null, error: 'connect ECONNREFUSED https://hooks.chat.example:8443' }],
    });
  });
});
