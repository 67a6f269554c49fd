/**
 * Sends one signed webhook (Standard Webhooks headers) and reports what happened. It never
 * throws for network or HTTP failures: the courier records every attempt, so failures are
 * data. It rejects only for caller errors (a URL that is not http(s), a bad secret or id).
 *
 * One shared undici Agent: keep-alive connections, pipelining 1 (a slow receiver must not hold
 * up requests queued behind it), at most `connectionsPerOrigin` sockets per receiver.
 * Redirects are not followed: a 3xx is a failed attempt (the spec's advice; it also keeps a
 * receiver from bouncing us to an internal address).
 *
 * SSRF guard (libs/core/src/webhooks/address-guard.ts): every new connection resolves the host
 * itself, refuses it if any address is loopback, private, link-local, metadata or otherwise
 * not public (unless `allow` covers it), and connects only to the addresses it checked, so a
 * name that changes its answer after it was saved (DNS rebinding) is still refused. IP-literal
 * hosts skip name resolution, so they are checked before the request and again in the connector.
 * A refusal is a failed attempt like any other (error `refused: …`), and it stays retryable:
 * DNS or the operator's allowlist may change, and the retry schedule bounds the attempts.
 */
import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Agent, buildConnector } from 'undici';
import { signatureHeader } from '@sne/core/webhooks/standard-webhooks';
import {
  AllowList,
  ForbiddenAddressError,
  guardedLookup,
  HostResolver,
  hostOf,
  isForbiddenAddress,
  LOOPBACK_NETWORKS,
  parseAllowList,
} from '@sne/core/webhooks/address-guard';
import { post, PostFailure } from './webhook-post';

export interface WebhookSenderOptions {
  /** Whole attempt: connect, send, response headers and body. */
  timeoutMs: number;
  /** Most open connections to one receiver (origin). Default 16. */
  connectionsPerOrigin?: number;
  /**
   * Networks reachable in spite of the SSRF guard: an AllowList or CIDRs (config.webhookAllowedNetworks).
   * When absent: loopback outside production (the config's own default there), nothing in production.
   */
  allow?: AllowList | readonly string[];
  /** Name resolution for the guard; the system resolver (dns.lookup) by default. Tests replace it. */
  resolve?: HostResolver;
}

export interface WebhookRequest {
  url: string;
  /** `whsec_…` secrets; each signs, so receivers keep verifying during a rotation. */
  secrets: string[];
  /** `webhook-id`: the same for every attempt of one message (the receiver's idempotency key). */
  webhookId: string;
  /** Exact bytes to send and sign (serialised JSON). */
  body: string;
  /** `webhook-timestamp`, unix seconds; defaults to now. */
  timestampSec?: number;
}

export interface WebhookResult {
  /** 2xx within the timeout. */
  ok: boolean;
  statusCode?: number;
  durationMs: number;
  /** Why it failed when there was no usable response, e.g. 'timeout after 15000 ms', 'ECONNREFUSED'. */
  error?: string;
  /** The first 4 KB of the response body, as text. */
  responseSnippet?: string;
  /** From Retry-After (seconds or HTTP date) on 429/503, capped at MAX_RETRY_AFTER_MS. */
  retryAfterMs?: number;
  /** 410 Gone: the receiver wants no more webhooks at this URL. */
  gone: boolean;
  /** The receiver answered with `webhook-delivery: abort`: stop retrying this message. */
  abort: boolean;
}

export const USER_AGENT = 'SafetyNoticeExchange/1.0';
/** A receiver cannot push a retry further out than this. */
export const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;
/** Hosts whose verdict is remembered: a fan-out sends to the same few origins thousands of times. */
const JUDGED_HOSTS = 4096;

@Injectable()
export class WebhookSender implements OnModuleDestroy {
  private readonly agent: Agent;
  private readonly timeoutMs: number;
  private readonly allow: AllowList;
  /** An IP-literal host's verdict (the refusal, or null), which depends only on the host and `allow`. */
  private readonly judgedHosts = new Map<string, string | null>();
  private closing?: Promise<void>;

  constructor(options: WebhookSenderOptions) {
    if (!Number.isInteger(options.timeoutMs) || options.timeoutMs <= 0) throw new TypeError('timeoutMs must be a positive integer');
    this.timeoutMs = options.timeoutMs;
    this.allow =
      options.allow instanceof AllowList
        ? options.allow
        : parseAllowList(options.allow ?? (process.env.NODE_ENV === 'production' ? '' : LOOPBACK_NETWORKS));
    const allow = this.allow;
    // The connect timeout lives in the connector (undici ignores connectTimeout when `connect` is a function).
    const connector = buildConnector({ timeout: Math.min(options.timeoutMs, 10_000), lookup: guardedLookup(allow, options.resolve) } as buildConnector.BuildOptions);
    this.agent = new Agent({
      connections: options.connectionsPerOrigin ?? 16,
      pipelining: 1,
      keepAliveTimeout: 10_000,
      keepAliveMaxTimeout: 60_000,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      // IP literals never reach `lookup` (net skips it), so the connector checks them itself.
      connect: (opts, callback) => {
        const host = opts.hostname.replace(/^\[(.*)\]$/, '$1');
        const reason = isIP(host) ? isForbiddenAddress(host, allow) : undefined;
        if (reason) return callback(new ForbiddenAddressError(host, host, reason), null);
        return connector(opts, callback);
      },
    });
  }

  async send(req: WebhookRequest): Promise<WebhookResult> {
    const url = httpUrl(req.url);
    const refused = this.refusedLiteral(url);
    if (refused) return { ok: false, durationMs: 0, error: refused, gone: false, abort: false };
    const timestampSec = req.timestampSec ?? Math.floor(Date.now() / 1000);
    const signature = signatureHeader(req.secrets, req.webhookId, timestampSec, req.body);
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const headers = {
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
      'webhook-id': req.webhookId,
      'webhook-timestamp': String(timestampSec),
      'webhook-signature': signature,
    };
    try {
      const res = await post(this.agent, url, headers, req.body, this.timeoutMs);
      const statusCode = res.statusCode;
      const retryable = statusCode === 429 || statusCode === 503;
      return {
        ok: statusCode >= 200 && statusCode < 300,
        statusCode,
        durationMs: elapsed(),
        responseSnippet: res.snippet,
        retryAfterMs: retryable ? parseRetryAfter(header(res.headers['retry-after'])) : undefined,
        gone: statusCode === 410,
        abort: header(res.headers['webhook-delivery'])?.trim().toLowerCase() === 'abort',
      };
    } catch (err) {
      // A timeout while reading the body still fails the attempt: the receiver did not finish in time.
      const failure = err instanceof PostFailure ? err : new PostFailure(err, undefined, false);
      return {
        ok: false,
        statusCode: failure.statusCode,
        durationMs: elapsed(),
        error: describeError(failure.cause, failure.timedOut, this.timeoutMs),
        gone: false,
        abort: false,
      };
    }
  }

  /** A host written as an IP address is judged here, before any socket is opened: the refusal's text, if refused. */
  private refusedLiteral(url: URL): string | undefined {
    let verdict = this.judgedHosts.get(url.hostname);
    if (verdict === undefined) {
      const host = hostOf(url);
      const reason = isIP(host) ? isForbiddenAddress(host, this.allow) : undefined;
      verdict = reason ? new ForbiddenAddressError(host, host, reason).message : null;
      // Oldest first: a Map iterates in insertion order.
      if (this.judgedHosts.size >= JUDGED_HOSTS) this.judgedHosts.delete(this.judgedHosts.keys().next().value!);
      this.judgedHosts.set(url.hostname, verdict);
    }
    return verdict ?? undefined;
  }

  /** Closes the shared agent; waits for requests in flight (each bounded by the timeout). */
  close(): Promise<void> {
    this.closing ??= this.agent.close();
    return this.closing;
  }

  onModuleDestroy(): Promise<void> {
    return this.close();
  }
}

function httpUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TypeError('webhook URL is not a valid URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError('webhook URL must be http(s)');
  return url;
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function parseRetryAfter(value: string | undefined, nowMs = Date.now()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  let ms: number;
  if (/^\d+$/.test(v)) ms = Number(v) * 1000;
  else if (/^[A-Za-z]{3}, /.test(v)) {
    // An HTTP date (IMF-fixdate, "Fri, 06 Mar 2026 12:05:00 GMT"); Date.parse alone accepts too much.
    const at = Date.parse(v);
    if (Number.isNaN(at)) return undefined;
    ms = at - nowMs;
  } else return undefined;
  return Math.min(Math.max(0, ms), MAX_RETRY_AFTER_MS);
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);

/** A short, secret-free description: the system error code when there is one. */
function describeError(err: unknown, aborted: boolean, timeoutMs: number): string {
  const e = (err ?? {}) as { name?: string; code?: string; message?: string; errors?: Array<{ code?: string }>; cause?: { code?: string } };
  // The SSRF guard's refusal says which host and address, and why.
  const refused = [err, e.cause, ...(e.errors ?? [])].find((x) => x instanceof ForbiddenAddressError);
  if (refused) return (refused as ForbiddenAddressError).message;
  if (aborted || e.name === 'TimeoutError' || (e.code && TIMEOUT_CODES.has(e.code))) return `timeout after ${timeoutMs} ms`;
  // Connecting to a name with both IPv4 and IPv6 addresses fails with an AggregateError.
  const code = e.code ?? e.errors?.find((x) => x?.code)?.code ?? e.cause?.code;
  if (code && !code.startsWith('UND_ERR')) return code;
  const text = code ? `${code}: ${e.message ?? ''}` : (e.message ?? String(err));
  return text.slice(0, 200);
}
