/**
 * The parsers of configuration values: each reads one variable, or refuses it with a
 * ConfigError that names it (config.ts puts them together into the AppConfig).
 */
import { isIP } from 'node:net';
import { AllowListError, parseAllowList } from './webhooks/address-guard';

export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`Configuration error: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

export type Env = Record<string, string | undefined>;
export type SeverityName = 'critical' | 'high' | 'moderate' | 'low';
export const SEVERITIES: readonly SeverityName[] = ['critical', 'high', 'moderate', 'low'];

/** Development only: a fixed key, so the embedded default's secrets survive restarts. */
const DEV_SECRETS_KEY = Buffer.alloc(32, 'sne-development-only-secrets-key');

/** A comma-separated list of media types like application/pdf,image/png. */
export function mediaTypes(env: Env, name: string, fallback: string[]): string[] {
  const value = env[name];
  if (value === undefined || value.trim() === '') return fallback;
  const types = value.split(',').map((t) => t.trim().toLowerCase()).filter(Boolean);
  for (const t of types) {
    if (!/^[a-z]+\/[a-z0-9.+-]+$/.test(t)) throw new ConfigError(name, `must be comma-separated media types like application/pdf,image/png (got "${t}")`);
  }
  return types;
}

export function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')} (got "${value}")`);
  }
  return value as T;
}

export function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value)) throw new ConfigError(name, `must be a whole number (got "${value}")`);
  const n = Number(value);
  if (n < min || n > max) throw new ConfigError(name, `must be between ${min} and ${max} (got ${n})`);
  return n;
}

/** HEALTH_PORT: a port, "off" (null), or unset (undefined: each worker's default). */
export function healthPort(env: Env): number | null | undefined {
  const value = env.HEALTH_PORT;
  if (value === undefined || value === '') return undefined;
  if (value.trim().toLowerCase() === 'off') return null;
  if (!/^\d+$/.test(value)) throw new ConfigError('HEALTH_PORT', `must be a port number or off (got "${value}")`);
  return integer(env, 'HEALTH_PORT', 0, 1, 65535);
}

export function boolean(env: Env, name: string, fallback: boolean): boolean {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  if (['true', '1', 'yes'].includes(value)) return true;
  if (['false', '0', 'no'].includes(value)) return false;
  throw new ConfigError(name, `must be true or false (got "${value}")`);
}

export function pattern(env: Env, name: string, re: RegExp, fallback: string, problem: string): string {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  if (!re.test(value)) throw new ConfigError(name, problem);
  return value;
}

export function url(env: Env, name: string, protocols: string[]): string | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(name, 'is not a valid URL');
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must use ${protocols.join(' or ')}`);
  }
  return value;
}

/** `notices@agency.gov` or `Display Name <notices@agency.gov>`: one address, as a From header takes it. */
export function mailbox(env: Env, name: string, fallback: string): string {
  const value = env[name]?.trim() || fallback;
  if (!/^(?:[^<>\r\n@]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/.test(value)) {
    throw new ConfigError(name, `must be an address like notices@agency.gov or Display Name <notices@agency.gov> (got "${value}")`);
  }
  return value;
}

/** An IP address or a host name (letters, digits, hyphens and dots): what the listeners can bind to. */
export function hostName(env: Env): string {
  const value = env.HOST || '127.0.0.1';
  const label = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;
  if (isIP(value) || (value.length <= 253 && value.split('.').every((l) => label.test(l)))) return value;
  throw new ConfigError('HOST', `must be an IP address or a host name like 0.0.0.0, :: or api.internal (got "${value}")`);
}

/** Comma-separated CIDRs; unset or empty takes the default, "none" allows nothing back. */
export function networks(env: Env, name: string, fallback: string): string[] {
  const value = env[name];
  if (value !== undefined && value.trim().toLowerCase() === 'none') return [];
  try {
    return [...parseAllowList(value === undefined || value === '' ? fallback : value).cidrs];
  } catch (err) {
    if (err instanceof AllowListError) throw new ConfigError(name, `must be comma-separated CIDRs like 10.0.0.0/8,fd00::/8: ${err.message}`);
    throw err;
  }
}

/** A server address as a message may show it: its user-info masked and anything after the host cut, since either may hold a credential. */
export function withoutCredentials(server: string): string {
  const t = server.trim();
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(t)?.[0] ?? '';
  let rest = t.slice(scheme.length);
  const at = rest.lastIndexOf('@');
  if (at >= 0) rest = `***@${rest.slice(at + 1)}`;
  return scheme + rest.replace(/[/?#][\s\S]*$/, '/…');
}

/** NATS_URL may list several servers, comma-separated (a cluster). */
export function natsServers(value: string): string {
  for (const server of value.split(',')) {
    if (!/^(nats|tls):\/\/[^\s/]+(:\d+)?$/.test(server.trim())) {
      throw new ConfigError('NATS_URL', `must be nats://host:port[,nats://host:port…] (got "${withoutCredentials(server)}")`);
    }
  }
  return value;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60000, h: 3600000, d: 86400000 };

/** "10s,1m,2h" → [10000, 60000, 7200000] */
export function parseDurations(value: string): number[] | undefined {
  const parts = value.split(',').map((p) => p.trim());
  const out: number[] = [];
  for (const part of parts) {
    const m = /^(\d+)(ms|s|m|h|d)?$/.exec(part);
    if (!m) return undefined;
    out.push(Number(m[1]) * UNIT_MS[m[2] ?? 'ms']);
  }
  return out;
}

export function durations(env: Env, name: string, fallback: string): number[] {
  const value = env[name] || fallback;
  const parsed = parseDurations(value);
  if (!parsed || parsed.length === 0 || parsed.length > 50) {
    throw new ConfigError(name, `must be a comma-separated list of durations like 10s,1m,2h (got "${value}")`);
  }
  return parsed;
}

export function single(env: Env, name: string, fallback: string): number {
  const [ms] = durations(env, name, fallback);
  if (parseDurations(env[name] || fallback)!.length !== 1) throw new ConfigError(name, 'must be one duration like 4h');
  return ms;
}

/**
 * "critical:24h,high:72h,moderate:7d,low:14d" → a duration for every severity. A value that
 * names only some severities ("critical:12h") changes those and keeps the defaults for the rest.
 */
export function bySeverity(env: Env, name: string, defaults: string): Record<SeverityName, number> {
  const parse = (value: string): Partial<Record<SeverityName, number>> => {
    const out: Partial<Record<SeverityName, number>> = {};
    for (const part of value.split(',')) {
      const [severity, duration, extra] = part.split(':').map((x) => x.trim());
      const ms = duration ? parseDurations(duration) : undefined;
      if (!SEVERITIES.includes(severity as SeverityName) || !ms || ms.length !== 1 || extra !== undefined) {
        throw new ConfigError(name, `must be severity:duration pairs like ${defaults}, each severity at most once (got "${value}")`);
      }
      if (out[severity as SeverityName] !== undefined) throw new ConfigError(name, `names ${severity} twice (got "${value}")`);
      out[severity as SeverityName] = ms[0];
    }
    return out;
  };
  return { ...(parse(defaults) as Record<SeverityName, number>), ...(env[name] ? parse(env[name]!) : {}) };
}

export function secretsKey(env: Env, production: boolean): Buffer {
  const value = env.SECRETS_KEY;
  if (!value) {
    if (production) throw new ConfigError('SECRETS_KEY', 'is required when NODE_ENV=production (32 random bytes, base64: openssl rand -base64 32)');
    return DEV_SECRETS_KEY;
  }
  return base64Key(value, 'SECRETS_KEY');
}

export function base64Key(value: string, name: string): Buffer {
  const key = Buffer.from(value, 'base64');
  if (key.length !== 32) throw new ConfigError(name, 'must be 32 bytes, base64-encoded (openssl rand -base64 32)');
  return key;
}
