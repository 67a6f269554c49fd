import { MessageHandler } from '@nestjs/microservices';
import { lastValueFrom, Observable } from 'rxjs';
import { DEFAULT_RETRY_DELAY_MS, PermanentFailure, RetryLater } from './contracts';
import { JetStreamContext } from './jetstream/jetstream.context';

/** What the transport does with a message once its handler is done. */
export type HandlerOutcome =
  | { kind: 'ack' }
  /** expected: the handler asked for it (RetryLater) rather than failing unexpectedly. */
  | { kind: 'retry'; delayMs: number; reason: string; expected: boolean }
  | { kind: 'drop'; reason: string };

const MAX_REASON_LENGTH = 300;

/**
 * Runs a Nest message handler to completion and maps how it ended to an outcome.
 * Nest wraps handlers so they may return a value, a Promise or an Observable (and turn thrown
 * errors into erroring Observables); `toObservable` is the Server's transformToObservable.
 */
export async function runWorkHandler(
  handler: MessageHandler,
  data: unknown,
  context: JetStreamContext,
  toObservable: (result: unknown) => Observable<unknown>,
): Promise<HandlerOutcome> {
  try {
    const result = await handler(data, context);
    // defaultValue: an Observable that completes without emitting is still a success.
    await lastValueFrom(toObservable(result), { defaultValue: undefined });
    return { kind: 'ack' };
  } catch (err) {
    return classifyFailure(err);
  }
}

export function classifyFailure(err: unknown): HandlerOutcome {
  if (isRetryLater(err)) {
    const delayMs = Number.isFinite(err.delayMs) && err.delayMs >= 0 ? Math.round(err.delayMs) : DEFAULT_RETRY_DELAY_MS;
    return { kind: 'retry', delayMs, reason: describeError(err), expected: true };
  }
  if (isPermanentFailure(err)) return { kind: 'drop', reason: describeError(err) };
  return { kind: 'retry', delayMs: DEFAULT_RETRY_DELAY_MS, reason: describeError(err), expected: false };
}

/** The error's message only (never the payload), shortened for the log line. */
export function describeError(err: unknown): string {
  let text: string;
  if (err instanceof Error) text = err.message;
  else if (typeof err === 'object' && err !== null && typeof (err as { message?: unknown }).message === 'string') {
    // Nest's RPC exception filter hands unknown errors on as `{ status, message }`.
    text = (err as { message: string }).message;
  } else text = String(err);
  return text.length > MAX_REASON_LENGTH ? `${text.slice(0, MAX_REASON_LENGTH)}…` : text;
}

// Duck-typed as well as instanceof, in case two copies of the contracts module get loaded.
function isRetryLater(err: unknown): err is RetryLater {
  return err instanceof RetryLater || (isNamed(err, 'RetryLater') && typeof (err as RetryLater).delayMs === 'number');
}

function isPermanentFailure(err: unknown): err is PermanentFailure {
  return err instanceof PermanentFailure || isNamed(err, 'PermanentFailure');
}

function isNamed(err: unknown, name: string): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === name;
}
