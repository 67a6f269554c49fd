/**
 * The bench's fixed settings, in a module with no side effects, so that tools beside the bench
 * (receiver-load.ts) use the same figures without importing session.ts, which parses the bench's
 * own command line when loaded.
 */

/** Requests in flight: the courier's COURIER_CONCURRENCY and the references' (`--concurrency` overrides it in the bench). */
export const DEFAULT_CONCURRENCY = 256;
/** The WebhookSender's default connections per origin (not configurable by env). */
export const CONNECTIONS_PER_ORIGIN = 16;
/** The SmtpEmailSender's default pool size. */
export const EMAIL_CONNECTIONS = 5;
/** Ports (origins) of the bench's receiver. */
export const RECEIVER_PORTS = 128;
/** The WebhookSender's whole-attempt timeout in the bench (`--webhook-timeout-ms` overrides it). */
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 15_000;
