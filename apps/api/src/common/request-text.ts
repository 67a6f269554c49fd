import { BadRequestException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/**
 * Every text a client sends must be readable before anything looks at it: bodies and addresses
 * are valid UTF-8 (no stray or overlong bytes, no encoded surrogates), every string is
 * well-formed Unicode (no lone surrogate from a `\ud800` escape) and holds no NUL (PostgreSQL text
 * cannot) nor any other invisible control but tab and line ends (INVISIBLE_CONTROL). JSON bodies
 * nest at most MAX_JSON_DEPTH deep and repeat no key in one object (two parsers could read a
 * repeated key differently). Anything else is refused with a 400 naming the
 * problem, before authentication, validation or any service sees the request.
 */
export const MAX_JSON_DEPTH = 32;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The text of UTF-8 bytes, or undefined when they are not valid UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

const ESCAPE = /(%[0-9a-fA-F]{2})/;

/** The bytes a percent-encoded string stands for ('+' as a space when `plusIsSpace`); a stray '%' stays itself. */
export function percentDecodedBytes(s: string, plusIsSpace = false): Buffer {
  const parts = s.split(ESCAPE); // odd indexes hold the %XX escapes
  return Buffer.concat(
    parts.map((part, i) => (i % 2 ? Buffer.from([parseInt(part.slice(1), 16)]) : Buffer.from(plusIsSpace ? part.replace(/\+/g, ' ') : part, 'utf8'))),
  );
}

/**
 * Control characters other than tab and line ends (C0, DEL, C1), and the bidirectional embedding,
 * override and isolate controls: the latter make stored text display in another order than it
 * holds (a notice or a finding could read differently from what was approved; "Trojan Source",
 * CVE-2021-42574). The marks U+200E, U+200F and U+061C, which only set a direction, stay allowed.
 */
const INVISIBLE_CONTROL = /[\u0001-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const codePoint = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why a string cannot be accepted and where in it (the index of the first offending character), or undefined. */
export function textProblemAt(s: string): { problem: string; index: number } | undefined {
  if (!s.isWellFormed()) return { problem: 'is not well-formed Unicode (a lone UTF-16 surrogate)', index: LONE_SURROGATE.exec(s)!.index };
  const nul = s.indexOf('\u0000');
  if (nul >= 0) return { problem: 'holds a NUL character', index: nul };
  const control = INVISIBLE_CONTROL.exec(s);
  if (!control) return undefined;
  const bidi = control[0] >= '\u202a';
  const why = bidi ? ', which makes text display in another order than it is stored' : '';
  return { problem: `holds the ${bidi ? 'text-direction' : 'control'} character ${codePoint(control[0])}${why}`, index: control.index };
}

/** Why a string cannot be accepted, or undefined. */
export const textProblem = (s: string): string | undefined => textProblemAt(s)?.problem;

/**
 * The first string (value or key) anywhere in a parsed body that cannot be accepted, said with
 * where it is (`the field answers[0].note holds a NUL character`). Iterative, so no input can
 * exhaust the stack.
 */
export function findBadText(value: unknown): string | undefined {
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length) {
    const [v, at] = stack.pop()!;
    if (typeof v === 'string') {
      const problem = textProblem(v);
      if (problem) return at ? `the field ${at.length > 100 ? `${at.slice(0, 100)}…` : at} ${problem}` : `the body ${problem}`;
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => stack.push([item, `${at}[${i}]`]));
    } else if (v !== null && typeof v === 'object') {
      for (const [k, item] of Object.entries(v)) {
        const problem = textProblem(k);
        if (problem) return `a field name ${problem}`;
        stack.push([item, at ? `${at}.${k}` : k]);
      }
    }
  }
  return undefined;
}

/**
 * What a JSON text must not do beyond its syntax: nest deeper than `maxDepth`, or repeat a key
 * within one object. One pass over the text; syntax errors are left to JSON.parse.
 */
export function jsonStructureProblem(text: string, maxDepth = MAX_JSON_DEPTH): string | undefined {
  const open: (Set<string> | null)[] = []; // an object's keys so far; null for an array
  let keyNext = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      let end = i + 1;
      while (end < text.length && text.charCodeAt(end) !== 0x22) end += text.charCodeAt(end) === 0x5c /* \ */ ? 2 : 1;
      const keys = open[open.length - 1];
      if (keys && keyNext) {
        let key: string;
        try {
          key = JSON.parse(text.slice(i, end + 1));
        } catch {
          return undefined; // not JSON: the parser says so
        }
        if (keys.has(key)) return `the key ${JSON.stringify(key).slice(0, 100)} appears twice in one object`;
        keys.add(key);
        keyNext = false;
      }
      i = end;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      open.push(c === 0x7b ? new Set() : null);
      keyNext = c === 0x7b;
      if (open.length > maxDepth) return `the JSON nests deeper than ${maxDepth} levels`;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      open.pop();
      keyNext = false;
    } else if (c === 0x2c /* , */) {
      keyNext = open[open.length - 1] instanceof Set;
    }
  }
  return undefined;
}

const isUtf8 = (charset: string | null | undefined) => !charset || charset.toLowerCase() === 'utf-8';

/** body-parser's `verify` for JSON: UTF-8 bytes, not too deep, no repeated key. Runs before JSON.parse. */
export function verifyJsonBody(_req: unknown, _res: unknown, buf: Buffer, encoding: string | null): void {
  if (!isUtf8(encoding)) throw new UnsupportedMediaTypeException('JSON bodies must be UTF-8 (charset=utf-8)');
  const text = decodeUtf8(buf);
  if (text === undefined) throw new BadRequestException('the request body is not valid UTF-8');
  const problem = jsonStructureProblem(text);
  if (problem) throw new BadRequestException(problem);
}

/** body-parser's `verify` for forms: the bytes, and what every %XX escape stands for, are UTF-8. */
export function verifyFormBody(_req: unknown, _res: unknown, buf: Buffer, encoding: string | null): void {
  if (!isUtf8(encoding)) throw new UnsupportedMediaTypeException('form bodies must be UTF-8 (charset=utf-8)');
  const text = decodeUtf8(buf);
  if (text === undefined || decodeUtf8(percentDecodedBytes(text, true)) === undefined) {
    throw new BadRequestException('the form is not valid UTF-8');
  }
}

/**
 * Middleware after the body parsers: the address (path and query, percent-decoded) is UTF-8
 * text, and every string of the parsed body is acceptable. Path parameters and query values are
 * cut from the address, so they are covered too.
 */
export function refuseMalformedText(req: Request, _res: Response, next: NextFunction): void {
  const address = decodeUtf8(percentDecodedBytes(req.originalUrl ?? req.url));
  if (address === undefined) return next(new BadRequestException('the address (path or query) is not valid UTF-8 once percent-decoded'));
  if (address.includes('\u0000')) return next(new BadRequestException('the address (path or query) holds a NUL character'));
  const problem = findBadText(req.body);
  if (problem) return next(new BadRequestException(problem));
  next();
}
