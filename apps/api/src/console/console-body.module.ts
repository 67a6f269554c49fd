import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { decodeUtf8, textProblem } from '../common/request-text';

/**
 * The draft editor posts `multipart/form-data`: a notice body may be 50,000 characters, more than
 * the app's urlencoded limit (16 KB) allows. These routes parse multipart text fields themselves,
 * up to MAX_BYTES, before the guard reads the CSRF token from `_csrf`. Files are not accepted.
 */
export const MAX_BYTES = 512 * 1024;

export const EDITOR_ROUTES = [
  { path: 'console/notices', method: RequestMethod.POST },
  { path: 'console/notices/preview', method: RequestMethod.POST },
  { path: 'console/notices/:id/edit', method: RequestMethod.POST },
  { path: 'console/notices/:id/update', method: RequestMethod.POST },
];

export type Fields = Record<string, string | string[]>;

/** Text fields of a multipart/form-data body; a repeated name becomes an array. Throws on anything malformed. */
export function parseMultipart(body: Buffer, boundary: string): Fields {
  const fields: Fields = Object.create(null);
  const open = Buffer.from(`--${boundary}`);
  const between = Buffer.from(`\r\n--${boundary}`);
  let at = body.indexOf(open);
  if (at !== 0) throw new Error('the body does not start with the boundary');
  for (;;) {
    at += open.length;
    if (body[at] === 0x2d && body[at + 1] === 0x2d) return fields; // "--": the closing boundary
    if (body[at] !== 0x0d || body[at + 1] !== 0x0a) throw new Error('malformed boundary line');
    const headersEnd = body.indexOf('\r\n\r\n', at + 2);
    if (headersEnd < 0) throw new Error('a part has no end of headers');
    const headers = text(body.subarray(at + 2, headersEnd));
    const end = body.indexOf(between, headersEnd + 4);
    if (end < 0) throw new Error('a part has no closing boundary');
    const disposition = /^content-disposition:\s*form-data\s*;(.*)$/im.exec(headers)?.[1] ?? '';
    const name = /(?:^|;)\s*name="([^"]*)"/i.exec(disposition)?.[1];
    if (name === undefined) throw new Error('a part has no name');
    if (/(?:^|;)\s*filename\*?=/i.test(disposition)) throw new Error('files are not accepted here');
    if (name === '__proto__' || name === 'constructor' || name === 'prototype') throw new Error('field name not allowed');
    const value = text(body.subarray(headersEnd + 4, end));
    const before = fields[name];
    fields[name] = before === undefined ? value : Array.isArray(before) ? [...before, value] : [before, value];
    at = end + 2;
  }
}

/** A part's bytes as text: UTF-8, well-formed and without NUL, like every other body (common/request-text.ts). */
function text(bytes: Buffer): string {
  const s = decodeUtf8(bytes);
  if (s === undefined) throw new Error('a part is not valid UTF-8');
  const problem = textProblem(s);
  if (problem) throw new Error(`a part ${problem}`);
  return s;
}

export function multipartFields(req: Request, res: Response, next: NextFunction): void {
  const type = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data/i.test(type)) return next();
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(type);
  const refuse = (status: number, text: string) => {
    res.status(status).type('text/plain').send(text);
    req.destroy();
  };
  if (!boundary) return refuse(400, 'The form could not be read: go back and try again.');
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BYTES) return refuse(413, 'What you sent is too large (the limit is 512 KB). Go back and shorten the text.');
  const chunks: Buffer[] = [];
  let size = 0;
  let done = false;
  req.on('data', (chunk: Buffer) => {
    if (done) return;
    size += chunk.length;
    if (size > MAX_BYTES) {
      done = true;
      return refuse(413, 'What you sent is too large (the limit is 512 KB). Go back and shorten the text.');
    }
    chunks.push(chunk);
  });
  req.on('end', () => {
    if (done) return;
    done = true;
    try {
      req.body = parseMultipart(Buffer.concat(chunks), boundary[1] ?? boundary[2]);
    } catch {
      return refuse(400, 'The form could not be read: go back and try again.');
    }
    next();
  });
  req.on('error', () => {
    done = true;
  });
}

@Module({})
export class ConsoleBodyModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(multipartFields).forRoutes(...EDITOR_ROUTES);
  }
}
