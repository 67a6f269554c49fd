import { HttpException } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import { NoticeRuleError } from '@sne/core';
import { QueryFailedError } from 'typeorm';

export type FieldErrors = Record<string, string>;

/**
 * Checks form input against the API's own DTO, so the console accepts exactly what the API
 * does; returns one readable message per field (the first constraint that failed).
 */
export async function validateAs<T extends object>(cls: new () => T, plain: object, messages: Record<string, string> = {}): Promise<FieldErrors> {
  const instance = plainToInstance(cls, plain);
  const found = await validate(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  const errors: FieldErrors = {};
  for (const e of flatten(found)) {
    if (errors[e.property]) continue;
    // A line break where one line is asked for: the form's own hint (its length) would not say what is wrong.
    const own = e.constraints?.oneLine ? undefined : messages[e.property];
    errors[e.property] = own ?? sentence(e.constraints?.oneLine ?? Object.values(e.constraints ?? {})[0] ?? 'is not valid');
  }
  return errors;
}

function flatten(errors: ValidationError[]): ValidationError[] {
  return errors.flatMap((e) => [e, ...flatten(e.children ?? [])]).filter((e) => e.constraints);
}

function sentence(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Service texts a person may meet on a console page, said for people. */
const PLAIN: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^cannot (\w+) a notice that is (.+)$/, (m) => `You cannot ${m[1]} this notice: it is ${m[2]}.`],
  [/contentHash does not match/, () => 'The notice changed after you opened it. Read it again on this page, then approve it.'],
  [/^the author of a notice cannot approve it/, () => 'You wrote this notice, so another approver must approve it (two-person rule).'],
  [/^the author of a notice cannot override its findings/, () => 'You wrote this notice, so another approver must decide on its findings (two-person rule).'],
  [/^missing or wrong CSRF token$/i, () => 'This form has expired, or was opened in another session. Go back, reload the page and try again.'],
  [/^topicPatterns match no topic of the catalogue \(GET \/api\/v1\/topics\): (.+)$/, (m) => `No topic of the catalogue matches ${m[1]}: choose topics from the list, or check the spelling of your patterns.`],
];

/** A service's message as a sentence for people: known texts rewritten, others capitalised and ended with a full stop. */
export function plainMessage(message: string): string {
  for (const [pattern, say] of PLAIN) {
    const m = pattern.exec(message);
    if (m) return say(m);
  }
  const s = sentence(message);
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

/** What a unique key that refused a row means, in the words of the form that sent it. */
const ALREADY: Record<string, string> = {
  users_email_key: 'A user with this email address already exists',
  agencies_name_key: 'An agency with this name already exists',
  topics_pkey: 'This topic is already in the catalogue',
};

/**
 * A row that a unique key refused (a double submit, or two people at once, past the services' own
 * checks): 409 and what already exists, as the API answers, not a server error. Undefined otherwise.
 */
export function alreadyExists(err: unknown): string | undefined {
  if (!(err instanceof QueryFailedError) || (err as { code?: unknown }).code !== '23505') return undefined;
  return ALREADY[String((err as { constraint?: unknown }).constraint)] ?? 'That already exists';
}

/** What the page says when a service refuses: the message of a 4xx, or undefined for anything else (rethrow it). */
export function refusal(err: unknown): { status: number; message: string; body: Record<string, unknown> } | undefined {
  if (err instanceof NoticeRuleError) return { status: err.kind === 'forbidden' ? 403 : 409, message: plainMessage(err.message), body: {} };
  const exists = alreadyExists(err);
  if (exists) return { status: 409, message: plainMessage(exists), body: {} };
  if (err instanceof HttpException && err.getStatus() < 500) {
    const body = err.getResponse();
    const m = typeof body === 'string' ? body : (body as { message?: string | string[] }).message ?? err.message;
    return {
      status: err.getStatus(),
      message: plainMessage(Array.isArray(m) ? m.join('; ') : String(m)),
      body: typeof body === 'object' && body ? (body as Record<string, unknown>) : {},
    };
  }
  return undefined;
}

/** For the error summary at the top of a form: links to each field with a problem. */
export function errorList(errors: FieldErrors, ids: Record<string, string> = {}): { href: string; text: string }[] {
  return Object.entries(errors).map(([field, text]) => ({ href: `#${ids[field] ?? field}`, text }));
}
