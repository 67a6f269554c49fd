import { loadConfig, ConfigError } from '../config';
import {
  AllowListError,
  checkWebhookUrlSyntax,
  ForbiddenAddressError,
  guardedLookup,
  isForbiddenAddress,
  parseAllowList,
  resolveAndCheck,
} from './address-guard';

const NONE = parseAllowList('');
const LOOPBACK = parseAllowList('127.0.0.0/8,::1/128');

describe('isForbiddenAddress', () => {
  // [address, the reason it is refused with an empty allowlist]
  const forbidden: Array<[string, string]> = [
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.1', 'private (RFC 1918)'],
    ['10.255.255.255', 'private (RFC 1918)'],
    ['172.16.0.1', 'private (RFC 1918)'],
    ['172.31.255.255', 'private (RFC 1918)'],
    ['192.168.1.1', 'private (RFC 1918)'],
    ['169.254.0.1', 'link-local'],
    ['169.254.169.254', 'cloud metadata'],
    ['169.254.170.2', 'cloud metadata'],
    ['100.100.100.200', 'cloud metadata'],
    ['192.0.0.192', 'cloud metadata'],
    ['168.63.129.16', 'cloud metadata'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.254', 'carrier-grade NAT'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['192.0.0.8', 'reserved (IETF protocol assignments)'],
    ['192.0.2.10', 'reserved (documentation)'],
    ['198.51.100.7', 'reserved (documentation)'],
    ['203.0.113.9', 'reserved (documentation)'],
    ['198.18.0.1', 'reserved (benchmarking)'],
    ['198.19.255.1', 'reserved (benchmarking)'],
    ['192.88.99.1', 'reserved (6to4 relay anycast)'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved (future use)'],
    ['255.255.255.255', 'broadcast'],
    // IPv6
    ['::1', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['febf:ffff::1', 'link-local'],
    ['fc00::1', 'unique local (IPv6)'],
    ['fd12:3456:789a::1', 'unique local (IPv6)'],
    ['fd00:ec2::254', 'cloud metadata'],
    ['fec0::1', 'site-local (deprecated)'],
    ['ff02::1', 'multicast'],
    ['ff05::1:3', 'multicast'],
    ['2001:db8::1', 'reserved (documentation)'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo tunnel'],
    ['100::1', 'discard-only'],
    ['64:ff9b:1::a00:1', 'NAT64 (local use)'],
    ['::7f00:1', 'reserved (IPv4-compatible, deprecated)'],
    ['::ffff:0:7f00:1', 'reserved (not global unicast)'],
    // IPv4-mapped IPv6 of each forbidden IPv4 range, in both spellings
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback'],
    ['0:0:0:0:0:ffff:7f00:0001', 'IPv4-mapped loopback'],
    ['::ffff:10.1.2.3', 'IPv4-mapped private (RFC 1918)'],
    ['::ffff:ac10:1', 'IPv4-mapped private (RFC 1918)'],
    ['::ffff:192.168.0.1', 'IPv4-mapped private (RFC 1918)'],
    ['::ffff:169.254.169.254', 'IPv4-mapped cloud metadata'],
    ['::ffff:169.254.1.1', 'IPv4-mapped link-local'],
    ['::ffff:100.64.0.1', 'IPv4-mapped carrier-grade NAT'],
    ['::ffff:0.0.0.0', 'IPv4-mapped unspecified'],
    ['::FFFF:7F00:1', 'IPv4-mapped loopback'],
    // NAT64 and 6to4 carrying a forbidden IPv4 address
    ['64:ff9b::127.0.0.1', 'NAT64-embedded loopback'],
    ['64:ff9b::a9fe:a9fe', 'NAT64-embedded cloud metadata'],
    ['64:ff9b::c0a8:1', 'NAT64-embedded private (RFC 1918)'],
    ['2002:7f00:1::1', '6to4-embedded loopback'],
    ['2002:a00:1::', '6to4-embedded private (RFC 1918)'],
    ['2002:a9fe:a9fe::1', '6to4-embedded cloud metadata'],
    ['[::1]', 'loopback'],
  ];
  it.each(forbidden)('refuses %s (%s)', (ip, reason) => {
    expect(isForbiddenAddress(ip, NONE)).toBe(reason);
  });

  const allowed = [
    '8.8.8.8',
    '1.1.1.1',
    '93.184.215.14',
    '172.15.255.255',
    '172.32.0.1',
    '100.63.255.255',
    '100.128.0.1',
    '169.253.255.255',
    '192.0.1.1',
    '198.17.255.255',
    '198.20.0.1',
    '223.255.255.254',
    '2606:4700:4700::1111',
    '2a00:1450:4001:82a::200e',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
  ];
  it.each(allowed)('allows the public address %s', (ip) => {
    expect(isForbiddenAddress(ip, NONE)).toBeUndefined();
  });

  it('lets an operator allow ranges back', () => {
    const allow = parseAllowList('127.0.0.0/8, ::1/128, 10.20.0.0/16, fd00:1234::/32');
    expect(isForbiddenAddress('127.0.0.1', allow)).toBeUndefined();
    expect(isForbiddenAddress('::ffff:127.0.0.1', allow)).toBeUndefined();
    expect(isForbiddenAddress('::1', allow)).toBeUndefined();
    expect(isForbiddenAddress('10.20.30.40', allow)).toBeUndefined();
    expect(isForbiddenAddress('fd00:1234::5', allow)).toBeUndefined();
    // Only what was listed.
    expect(isForbiddenAddress('10.21.0.1', allow)).toBe('private (RFC 1918)');
    expect(isForbiddenAddress('169.254.169.254', allow)).toBe('cloud metadata');
    expect(isForbiddenAddress('fd00:1235::5', allow)).toBe('unique local (IPv6)');
    // A NAT64 translation of 127.0.0.1 goes through a gateway: it is not our loopback.
    expect(isForbiddenAddress('64:ff9b::7f00:1', allow)).toBe('NAT64-embedded loopback');
  });

  it('says so for something that is not an address', () => {
    expect(isForbiddenAddress('localhost', NONE)).toBe('not an IP address');
  });
});

describe('parseAllowList', () => {
  it('parses CIDRs and bare addresses', () => {
    expect(parseAllowList(' 127.0.0.0/8 ,::1/128,, 10.0.0.5 , FD00::/8').cidrs).toEqual(['127.0.0.0/8', '::1/128', '10.0.0.5/32', 'fd00::/8']);
    expect(parseAllowList('').isEmpty).toBe(true);
    expect(parseAllowList(['192.168.0.0/16']).contains('192.168.4.4')).toBe(true);
  });

  it.each(['10.0.0.0/33', '::/129', 'localhost', '10.0.0/8', '10.0.0.0/8/8', '10.0.0.0/-1', '*'])('refuses %s', (bad) => {
    expect(() => parseAllowList(`127.0.0.0/8,${bad}`)).toThrow(AllowListError);
  });
});

describe('checkWebhookUrlSyntax', () => {
  const dev = { allowHttp: true, allow: NONE };
  // [url, expected problem (a substring)]
  const refused: Array<[string, string]> = [
    ['http://127.0.0.1/hook', 'loopback: 127.0.0.1'],
    ['http://127.0.0.1:8080/hook', 'loopback'],
    ['http://2130706433/', 'loopback: 127.0.0.1'], // decimal
    ['http://0177.0.0.1/', 'loopback: 127.0.0.1'], // octal
    ['http://0x7f000001/', 'loopback: 127.0.0.1'], // hex
    ['http://0x7f.0.0.1/', 'loopback: 127.0.0.1'],
    ['http://017700000001/', 'loopback: 127.0.0.1'], // octal, whole
    ['http://127.1/', 'loopback: 127.0.0.1'], // short
    ['http://%31%32%37.0.0.1/', 'loopback: 127.0.0.1'], // percent-encoded
    ['http://[::1]/', 'loopback: ::1'],
    ['http://[0:0:0:0:0:0:0:1]:9000/', 'loopback: ::1'],
    ['http://[::ffff:127.0.0.1]/', 'IPv4-mapped loopback: ::ffff:7f00:1'],
    ['http://[::ffff:7f00:1]/', 'IPv4-mapped loopback'],
    ['http://[::ffff:10.0.0.1]/', 'IPv4-mapped private (RFC 1918)'],
    ['http://[::ffff:169.254.169.254]/', 'IPv4-mapped cloud metadata'],
    ['http://0/', 'unspecified: 0.0.0.0'],
    ['http://0.0.0.0:3000/', 'unspecified'],
    ['http://10.1.2.3/', 'private (RFC 1918)'],
    ['http://167772161/', 'private (RFC 1918): 10.0.0.1'],
    ['http://172.20.0.1/', 'private (RFC 1918)'],
    ['http://192.168.0.10/', 'private (RFC 1918)'],
    ['http://0xc0a80001/', 'private (RFC 1918): 192.168.0.1'],
    ['http://169.254.169.254/latest/meta-data/', 'cloud metadata: 169.254.169.254'],
    ['http://2852039166/', 'cloud metadata: 169.254.169.254'],
    ['http://[fd00:ec2::254]/', 'cloud metadata'],
    ['http://100.64.1.1/', 'carrier-grade NAT'],
    ['http://[fe80::1]/', 'link-local'],
    ['http://[fd00::1]/', 'unique local (IPv6)'],
    ['http://[64:ff9b::a00:1]/', 'NAT64-embedded private (RFC 1918)'],
    ['http://[2002:c0a8:1::1]/', '6to4-embedded private (RFC 1918)'],
    ['http://localhost/', 'loopback: localhost'],
    ['http://LOCALHOST:3000/', 'loopback: localhost'],
    ['http://localhost./', 'loopback: localhost'],
    ['http://api.localhost/', 'loopback: api.localhost'],
    ['http://localhost.localdomain/', 'loopback'],
    ['http://ip6-localhost/', 'loopback'],
    ['http://metadata.google.internal/computeMetadata/v1/', 'cloud metadata'],
    ['ftp://hooks.example.org/', 'must use http or https'],
    ['javascript:alert(1)', 'must use http or https'],
    ['file:///etc/passwd', 'must use http or https'],
    ['https://user:pass@hooks.example.org/', 'must not carry credentials'],
    ['https://user@hooks.example.org/', 'must not carry credentials'],
    ['not a url', 'not a valid URL'],
  ];
  it.each(refused)('refuses %s', (url, problem) => {
    expect(checkWebhookUrlSyntax(url, dev)).toContain(problem);
  });

  it.each([
    'https://intake.county.example/hooks/sne',
    'http://hooks.example.org:8080/x',
    'https://8.8.8.8/hook',
    'https://134744072/hook', // 8.8.8.8, decimal: public, so allowed
    'https://[2606:4700:4700::1111]/hook',
    'https://127.0.0.1.nip.io/', // a name: checked where it resolves, at connection time
  ])('accepts %s', (url) => {
    expect(checkWebhookUrlSyntax(url, dev)).toBeUndefined();
  });

  it('requires https when http is not allowed (production)', () => {
    expect(checkWebhookUrlSyntax('http://hooks.example.org/', { allowHttp: false, allow: NONE })).toBe('webhookUrl must use https');
    expect(checkWebhookUrlSyntax('https://hooks.example.org/', { allowHttp: false, allow: NONE })).toBeUndefined();
  });

  it('accepts loopback targets and localhost names when loopback is allowlisted', () => {
    for (const url of ['http://127.0.0.1:4000/', 'http://2130706433/', 'http://[::1]/', 'http://[::ffff:127.0.0.1]/', 'http://localhost:3000/', 'http://a.localhost/']) {
      expect(checkWebhookUrlSyntax(url, { allowHttp: true, allow: LOOPBACK })).toBeUndefined();
    }
    // Loopback, and nothing else.
    expect(checkWebhookUrlSyntax('http://10.0.0.1/', { allowHttp: true, allow: LOOPBACK })).toContain('private (RFC 1918)');
    expect(checkWebhookUrlSyntax('http://169.254.169.254/', { allowHttp: true, allow: LOOPBACK })).toContain('cloud metadata');
  });
});

describe('resolveAndCheck and guardedLookup (connection time)', () => {
  const fake = (answers: Record<string, string[]>) => async (host: string) =>
    (answers[host] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

  it('refuses a name if any of its addresses is forbidden', async () => {
    const resolve = fake({ 'mixed.test': ['93.184.215.14', '10.0.0.7'], 'public.test': ['93.184.215.14', '2606:4700::1'] });
    await expect(resolveAndCheck('mixed.test', NONE, resolve)).rejects.toThrow(
      'refused: webhook host mixed.test resolves to a forbidden address (private (RFC 1918): 10.0.0.7)',
    );
    await expect(resolveAndCheck('public.test', NONE, resolve)).resolves.toHaveLength(2);
  });

  it('checks IP literals without resolving', async () => {
    const resolve = jest.fn();
    await expect(resolveAndCheck('[::1]', NONE, resolve)).rejects.toBeInstanceOf(ForbiddenAddressError);
    await expect(resolveAndCheck('8.8.8.8', NONE, resolve)).resolves.toEqual([{ address: '8.8.8.8', family: 4 }]);
    expect(resolve).not.toHaveBeenCalled();
  });

  it('answers net.connect in both callback shapes', async () => {
    const lookup = guardedLookup(NONE, fake({ 'ok.test': ['93.184.215.14'], 'bad.test': ['127.0.0.1'] }));
    const call = (host: string, all: boolean) =>
      new Promise<unknown[]>((resolve) => lookup(host, { all }, (...args) => resolve(args)));
    expect(await call('ok.test', true)).toEqual([null, [{ address: '93.184.215.14', family: 4 }]]);
    expect(await call('ok.test', false)).toEqual([null, '93.184.215.14', 4]);
    const [err] = await call('bad.test', false);
    expect(err).toBeInstanceOf(ForbiddenAddressError);
    expect((err as Error).message).toBe('refused: webhook host bad.test resolves to a forbidden address (loopback: 127.0.0.1)');
    const [missing] = await call('nowhere.test', true);
    expect(missing).toMatchObject({ code: 'ENOTFOUND' });
  });
});

describe('config: WEBHOOK_ALLOWED_NETWORKS', () => {
  it('defaults to loopback outside production and to nothing in production', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).webhookAllowedNetworks).toEqual(['127.0.0.0/8', '::1/128']);
    expect(loadConfig({ NODE_ENV: 'development' }).webhookAllowedNetworks).toEqual(['127.0.0.0/8', '::1/128']);
    const prod = { NODE_ENV: 'production', ACK_TOKEN_SECRET: 'x'.repeat(40), SECRETS_KEY: Buffer.alloc(32, 7).toString('base64') };
    let production: ReturnType<typeof loadConfig> | undefined;
    try {
      production = loadConfig(prod);
    } catch (err) {
      // Other production-only variables may be required; the allowlist default is what matters here.
      if (!(err instanceof ConfigError) || /WEBHOOK_ALLOWED_NETWORKS/.test(err.message)) throw err;
    }
    if (production) expect(production.webhookAllowedNetworks).toEqual([]);
  });

  it('takes a list, or none', () => {
    expect(loadConfig({ NODE_ENV: 'test', WEBHOOK_ALLOWED_NETWORKS: '10.8.0.0/16,fd00::/8' }).webhookAllowedNetworks).toEqual(['10.8.0.0/16', 'fd00::/8']);
    expect(loadConfig({ NODE_ENV: 'test', WEBHOOK_ALLOWED_NETWORKS: 'none' }).webhookAllowedNetworks).toEqual([]);
  });

  it('stops start-up on a malformed CIDR, naming the variable', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', WEBHOOK_ALLOWED_NETWORKS: '10.0.0.0/8,10.0.0.0/40' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'test', WEBHOOK_ALLOWED_NETWORKS: 'intranet' })).toThrow(/WEBHOOK_ALLOWED_NETWORKS .*"intranet"/);
  });
});
