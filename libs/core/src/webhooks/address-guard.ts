/**
 * The webhook SSRF guard. Agencies choose their webhook URLs, so a URL must not be able to reach
 * the courier's own network: loopback, private (RFC 1918), link-local, carrier-grade NAT, cloud
 * metadata endpoints, and every other range that is not globally routable. An operator can
 * allow some of them back with WEBHOOK_ALLOWED_NETWORKS (a list of CIDRs); the development and
 * test defaults allow loopback only.
 *
 * Two checks, two moments:
 * - `checkWebhookUrlSyntax` when a URL is saved: scheme, credentials, IP literals in any form
 *   (WHATWG URL parsing turns `2130706433`, `0177.0.0.1`, `0x7f000001` and `127.1` into
 *   `127.0.0.1`; `[::ffff:127.0.0.1]` into `[::ffff:7f00:1]`) and localhost names. It cannot
 *   know what a name will resolve to, and that can change at any time (DNS rebinding).
 * - `guardedLookup` / `resolveAndCheck` on every new connection: the courier's own DNS answer is
 *   checked, and a connection is made only to addresses that passed. This is the real defence.
 */
import { promises as dns, type LookupAddress } from 'node:dns';
import { BlockList, isIP, isIPv4 } from 'node:net';

/** Networks an operator has allowed back in spite of the guard (WEBHOOK_ALLOWED_NETWORKS). */
export class AllowList {
  private readonly list = new BlockList();

  /** `cidrs` must be valid (see parseAllowList). */
  constructor(readonly cidrs: readonly string[] = []) {
    for (const cidr of cidrs) {
      const { address, prefix, type } = parseCidr(cidr)!;
      this.list.addSubnet(address, prefix, type);
    }
  }

  get isEmpty(): boolean {
    return this.cidrs.length === 0;
  }

  /** IPv4-mapped IPv6 addresses (`::ffff:127.0.0.1`) match IPv4 rules, and the other way round. */
  contains(ip: string): boolean {
    const type = ipType(ip);
    return type !== undefined && this.list.check(ip, type);
  }

  toString(): string {
    return this.cidrs.join(',') || '(none)';
  }
}

/** Loopback only: the development and test default, so local receivers work out of the box. */
export const LOOPBACK_NETWORKS = '127.0.0.0/8,::1/128';

export class AllowListError extends Error {
  constructor(readonly entry: string) {
    super(`"${entry}" is not a CIDR like 10.0.0.0/8 or fd00::/8`);
    this.name = 'AllowListError';
  }
}

/**
 * Comma-separated CIDRs (`127.0.0.0/8,::1/128`); a bare address is a single host (/32 or /128).
 * Blank entries are ignored. Throws AllowListError naming the first malformed entry.
 */
export function parseAllowList(cidrs: string | readonly string[]): AllowList {
  const entries = (typeof cidrs === 'string' ? cidrs.split(',') : cidrs).map((c) => c.trim()).filter(Boolean);
  const canonical = entries.map((entry) => {
    const parsed = parseCidr(entry);
    if (!parsed) throw new AllowListError(entry);
    return `${parsed.address}/${parsed.prefix}`;
  });
  return new AllowList([...new Set(canonical)]);
}

function parseCidr(entry: string): { address: string; prefix: number; type: 'ipv4' | 'ipv6' } | undefined {
  const m = /^([^/\s]+)(?:\/(\d{1,3}))?$/.exec(entry.trim());
  if (!m) return undefined;
  const address = m[1].toLowerCase();
  const type = ipType(address);
  if (!type) return undefined;
  const max = type === 'ipv4' ? 32 : 128;
  const prefix = m[2] === undefined ? max : Number(m[2]);
  if (prefix > max) return undefined;
  return { address, prefix, type };
}

function ipType(ip: string): 'ipv4' | 'ipv6' | undefined {
  const v = isIP(ip);
  return v === 4 ? 'ipv4' : v === 6 ? 'ipv6' : undefined;
}

// ---------------------------------------------------------------------------------------------
// Forbidden ranges. The first matching rule names the reason, so specific rules come first.

type Rule = [reason: string, cidrs: string[]];

const IPV4_RULES: Rule[] = [
  // AWS/GCP/Azure IMDS, AWS ECS task metadata, EKS Pod Identity, Alibaba, Oracle, Azure WireServer.
  ['cloud metadata', ['169.254.169.254/32', '169.254.170.2/32', '169.254.170.23/32', '100.100.100.200/32', '192.0.0.192/32', '168.63.129.16/32']],
  ['unspecified', ['0.0.0.0/8']],
  ['loopback', ['127.0.0.0/8']],
  ['private (RFC 1918)', ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']],
  ['carrier-grade NAT', ['100.64.0.0/10']],
  ['link-local', ['169.254.0.0/16']],
  ['reserved (IETF protocol assignments)', ['192.0.0.0/24']],
  ['reserved (documentation)', ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24']],
  ['reserved (6to4 relay anycast)', ['192.88.99.0/24']],
  ['reserved (benchmarking)', ['198.18.0.0/15']],
  ['multicast', ['224.0.0.0/4']],
  ['broadcast', ['255.255.255.255/32']],
  ['reserved (future use)', ['240.0.0.0/4']],
];

const IPV6_RULES: Rule[] = [
  ['cloud metadata', ['fd00:ec2::254/128', 'fd00:ec2::23/128']],
  ['unspecified', ['::/128']],
  ['loopback', ['::1/128']],
  ['NAT64 (local use)', ['64:ff9b:1::/48']],
  ['discard-only', ['100::/64']],
  ['Teredo tunnel', ['2001::/32']],
  ['reserved (benchmarking)', ['2001:2::/48']],
  ['reserved (IETF protocol assignments)', ['2001::/23']],
  ['reserved (documentation)', ['2001:db8::/32', '3fff::/20']],
  ['unique local (IPv6)', ['fc00::/7']],
  ['link-local', ['fe80::/10']],
  ['site-local (deprecated)', ['fec0::/10']],
  ['multicast', ['ff00::/8']],
];

function compile(rules: Rule[], type: 'ipv4' | 'ipv6'): Array<[string, BlockList]> {
  return rules.map(([reason, cidrs]) => {
    const list = new BlockList();
    for (const cidr of cidrs) {
      const [address, prefix] = cidr.split('/');
      list.addSubnet(address, Number(prefix), type);
    }
    return [reason, list];
  });
}

const V4 = compile(IPV4_RULES, 'ipv4');
const V6 = compile(IPV6_RULES, 'ipv6');
/** Only global unicast (2000::/3) leaves the building; everything else in IPv6 is special. */
const GLOBAL_UNICAST = compile([['global', ['2000::/3']]], 'ipv6')[0][1];

function v4Reason(ip: string): string | undefined {
  return V4.find(([, list]) => list.check(ip, 'ipv4'))?.[0];
}

/**
 * Why a webhook may not connect to `ip`, or undefined when it may: a public address, or one the
 * operator allowed. IPv4-mapped (`::ffff:a.b.c.d`), NAT64 (`64:ff9b::/96`) and 6to4 (`2002::/16`)
 * addresses are judged by the IPv4 address they carry.
 */
export function isForbiddenAddress(ip: string, allow: AllowList): string | undefined {
  const address = ip.trim().replace(/^\[(.*)\]$/, '$1').toLowerCase();
  const version = isIP(address);
  if (version === 0) return 'not an IP address';
  if (allow.contains(address)) return undefined;
  if (version === 4) return v4Reason(address);

  const words = ipv6Words(address);
  const embedded = (hi: number, lo: number) => `${words[hi] >> 8}.${words[hi] & 0xff}.${words[lo] >> 8}.${words[lo] & 0xff}`;
  const zeroes = (from: number, to: number) => words.slice(from, to).every((w) => w === 0);
  // ::ffff:a.b.c.d is the IPv4 address itself (a dual-stack socket connects to it over IPv4).
  if (zeroes(0, 5) && words[5] === 0xffff) {
    const v4 = embedded(6, 7);
    if (allow.contains(v4)) return undefined;
    const reason = v4Reason(v4);
    return reason && `IPv4-mapped ${reason}`;
  }
  // NAT64 (RFC 6052 well-known prefix): a gateway forwards to the IPv4 address in the last 32 bits.
  if (words[0] === 0x64 && words[1] === 0xff9b && zeroes(2, 6)) {
    const reason = v4Reason(embedded(6, 7));
    return reason && `NAT64-embedded ${reason}`;
  }
  // 6to4: the IPv4 address of the tunnel end point sits in bits 16-47.
  if (words[0] === 0x2002) {
    const reason = v4Reason(embedded(1, 2));
    return reason && `6to4-embedded ${reason}`;
  }
  const reason = V6.find(([, list]) => list.check(address, 'ipv6'))?.[0];
  if (reason) return reason;
  if (!GLOBAL_UNICAST.check(address, 'ipv6')) return zeroes(0, 6) ? 'reserved (IPv4-compatible, deprecated)' : 'reserved (not global unicast)';
  return undefined;
}

/** The eight 16-bit words of a valid IPv6 address (a trailing dotted IPv4 part included). */
function ipv6Words(ip: string): number[] {
  let text = ip;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1].split('.').map(Number);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const parse = (part: string | undefined) => (part ? part.split(':').map((h) => parseInt(h, 16)) : []);
  const left = parse(head);
  const right = parse(tail);
  const fill = tail === undefined ? [] : new Array(8 - left.length - right.length).fill(0);
  return [...left, ...fill, ...right];
}

// ---------------------------------------------------------------------------------------------
// Save time.

const LOCALHOST_NAMES = new Set(['localhost', 'localhost.localdomain', 'ip6-localhost', 'ip6-loopback']);
const METADATA_NAMES = new Set(['metadata', 'metadata.google.internal', 'instance-data', 'instance-data.ec2.internal']);

export interface WebhookUrlOptions {
  /** false in production: https only. */
  allowHttp: boolean;
  /** Networks allowed in spite of the guard (config.webhookAllowedNetworks). */
  allow: AllowList;
}

/**
 * What is wrong with a webhook URL, as a sentence for a 400 response, or undefined when it may
 * be saved. It checks what the URL itself says (scheme, credentials, IP literals in every
 * spelling, localhost and metadata names); where a name resolves is checked on every connection.
 */
export function checkWebhookUrlSyntax(raw: string, options: WebhookUrlOptions): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'webhookUrl is not a valid URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'webhookUrl must use http or https';
  if (url.protocol !== 'https:' && !options.allowHttp) return 'webhookUrl must use https';
  if (url.username || url.password) return 'webhookUrl must not carry credentials';
  const host = hostOf(url);
  if (!host) return 'webhookUrl has no host';
  if (isIP(host)) {
    const reason = isForbiddenAddress(host, options.allow);
    return reason && `webhookUrl points to a forbidden address (${reason}: ${host})`;
  }
  if (LOCALHOST_NAMES.has(host) || host.endsWith('.localhost')) {
    if (options.allow.contains('127.0.0.1') || options.allow.contains('::1')) return undefined;
    return `webhookUrl points to a forbidden address (loopback: ${host})`;
  }
  if (METADATA_NAMES.has(host) && !options.allow.contains('169.254.169.254')) {
    return `webhookUrl points to a forbidden address (cloud metadata: ${host})`;
  }
  return undefined;
}

/** The URL's host as an address or a name: no IPv6 brackets, no trailing dot, lower case. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.+$/, '').toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// Connection time.

/** Refused by the guard: the text is what the courier records as the attempt's error. */
export class ForbiddenAddressError extends Error {
  readonly code = 'ERR_WEBHOOK_ADDRESS_FORBIDDEN';
  constructor(
    readonly host: string,
    readonly address: string,
    readonly reason: string,
  ) {
    super(
      host === address
        ? `refused: webhook address ${address} is forbidden (${reason})`
        : `refused: webhook host ${host} resolves to a forbidden address (${reason}: ${address})`,
    );
    this.name = 'ForbiddenAddressError';
  }
}

/** Name resolution, replaceable in tests; the default is the system resolver (dns.lookup). */
export type HostResolver = (hostname: string, options: { family?: number; hints?: number }) => Promise<LookupAddress[]>;

export const systemResolver: HostResolver = (hostname, options) =>
  dns.lookup(hostname, { all: true, family: options.family ?? 0, hints: options.hints, verbatim: true });

/** Resolves a host and refuses it if ANY of its addresses is forbidden (an attacker controls the order). */
export async function resolveAndCheck(
  hostname: string,
  allow: AllowList,
  resolve: HostResolver = systemResolver,
  options: { family?: number; hints?: number } = {},
): Promise<LookupAddress[]> {
  const host = hostname.replace(/^\[(.*)\]$/, '$1');
  const addresses = isIP(host) ? [{ address: host, family: isIPv4(host) ? 4 : 6 }] : await resolve(host, options);
  for (const { address } of addresses) {
    const reason = isForbiddenAddress(address, allow);
    if (reason) throw new ForbiddenAddressError(host, address, reason);
  }
  return addresses;
}

type LookupCallback = (err: Error | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for net.connect / tls.connect (undici's `connect` option): resolves, checks every
 * address, and hands only checked addresses to the socket, so the address connected to is the
 * one that was checked. net calls it for every new connection (never for IP literals).
 */
export function guardedLookup(allow: AllowList, resolve: HostResolver = systemResolver) {
  return (hostname: string, options: { family?: number | string; hints?: number; all?: boolean }, callback: LookupCallback): void => {
    const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : Number(options.family) || 0;
    resolveAndCheck(hostname, allow, resolve, { family, hints: options.hints }).then(
      (addresses) => {
        if (addresses.length === 0) {
          const err = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname });
          return callback(err, options.all ? [] : '', 0);
        }
        if (options.all) callback(null, addresses);
        else callback(null, addresses[0].address, addresses[0].family);
      },
      (err: Error) => callback(err, options.all ? [] : '', 0),
    );
  };
}
