import { Inject, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@sne/core';
import type { NextFunction, Request, Response } from 'express';
import { decodeUtf8, textProblem } from '../common/request-text';
import { MAX_IMPORT_BYTES } from '../review-import/review-import-body.module';

/**
 * The draft editor posts `multipart/form-data`: a notice body may be 50,000 characters, more than
 * the app's urlencoded limit (16 KB) allows. These routes parse multipart text fields themselves,
 * up to MAX_BYTES, before the guard reads the CSRF token from `_csrf`. Files are not accepted,
 * except by the attachment upload form (UPLOAD_ROUTES), up to the attachment size limit.
 */
export const MAX_BYTES = 512 * 1024;

export const EDITOR_ROUTES = [
  { path: 'console/notices', method: RequestMethod.POST },
  { path: 'console/notices/preview', method: RequestMethod.POST },
  { path: 'console/notices/:id/edit', method: RequestMethod.POST },
  { path: 'console/notices/:id/update', method: RequestMethod.POST },
  // issue 11: the review form (a summary may be 50,000 characters, findings 5,000 each)
  { path: 'console/reviews', method: RequestMethod.POST },
  { path: 'console/reviews/:id/edit', method: RequestMethod.POST },
];

export type Fields = Record<string, string | string[]>;

export interface FilePart {
  filename: string;
  data: Buffer;
}

interface Part {
  name: string;
  filename?: string;
  data: Buffer;
}

/** The parts of a multipart/form-data body, in order. Throws on anything malformed. */
function parseParts(body: Buffer, boundary: string): Part[] {
  const parts: Part[] = [];
  const open = Buffer.from(`--${boundary}`);
  const between = Buffer.from(`\r\n--${boundary}`);
  let at = body.indexOf(open);
  if (at !== 0) throw new Error('the body does not start with the boundary');
  for (;;) {
    at += open.length;
    if (body[at] === 0x2d && body[at + 1] === 0x2d) return parts; // "--": the closing boundary
    if (body[at] !== 0x0d || body[at + 1] !== 0x0a) throw new Error('malformed boundary line');
    const headersEnd = body.indexOf('\r\n\r\n', at + 2);
    if (headersEnd < 0) throw new Error('a part has no end of headers');
    const headers = text(body.subarray(at + 2, headersEnd));
    const end = body.indexOf(between, headersEnd + 4);
    if (end < 0) throw new Error('a part has no closing boundary');
    const disposition = /^content-disposition:\s*form-data\s*;(.*)$/im.exec(headers)?.[1] ?? '';
    const name = /(?:^|;)\s*name="([^"]*)"/i.exec(disposition)?.[1];
    if (name === undefined) throw new Error('a part has no name');
    if (name === '__proto__' || name === 'constructor' || name === 'prototype') throw new Error('field name not allowed');
    const filename = /(?:^|;)\s*filename="([^"]*)"/i.exec(disposition)?.[1];
    if (filename === undefined && /(?:^|;)\s*filename\*?=/i.test(disposition)) throw new Error('malformed file name');
    parts.push({ name, filename, data: body.subarray(headersEnd + 4, end) });
    at = end + 2;
  }
}

function fieldsOf(parts: Part[]): Fields {
  const fields: Fields = Object.create(null);
  for (const { name, data } of parts) {
    const value = text(data, name);
    const before = fields[name];
    fields[name] = before === undefined ? value : Array.isArray(before) ? [...before, value] : [before, value];
  }
  return fields;
}

/** Text fields of a multipart/form-data body; a repeated name becomes an array. Throws on anything malformed or on a file. */
export function parseMultipart(body: Buffer, boundary: string): Fields {
  const parts = parseParts(body, boundary);
  if (parts.some((p) => p.filename !== undefined)) throw new Error('files are not accepted here');
  return fieldsOf(parts);
}

/** An upload form: its text fields, and the one file of the part named `file` (or none). */
export function parseUpload(body: Buffer, boundary: string): Fields & { file?: FilePart } {
  const parts = parseParts(body, boundary);
  const files = parts.filter((p) => p.filename !== undefined);
  if (files.length > 1 || files.some((f) => f.name !== 'file')) throw new Error('one file, in the field named file');
  const fields: Fields & { file?: FilePart } = fieldsOf(parts.filter((p) => p.filename === undefined));
  const [file] = files;
  if (file && file.data.length) fields.file = { filename: text(Buffer.from(file.filename!, 'utf8')), data: Buffer.from(file.data) };
  return fields;
}

/** A field's text that is UTF-8 but cannot be accepted (a NUL, a control): said to the person, who can mend it. */
class FieldTextProblem extends Error {}

/** A part's bytes as text: UTF-8, well-formed and without NUL or other invisible controls, like every other body (common/request-text.ts). */
function text(bytes: Buffer, field?: string): string {
  const s = decodeUtf8(bytes);
  if (s === undefined) throw new Error('a part is not valid UTF-8');
  const problem = textProblem(s);
  if (problem) throw field === undefined ? new Error(`a part ${problem}`) : new FieldTextProblem(`the field ${field.slice(0, 100)} ${problem}`);
  return s;
}

const tooLarge = (max: number, what: string) => `What you sent is too large (the limit is ${Math.round(max / 1024)} KB). Go back and ${what}.`;

/** Reads a multipart body of at most `max` bytes into `req.body` with `parse`; answers 400 or 413 in plain words otherwise. */
function multipartBody(max: number, parse: (body: Buffer, boundary: string) => unknown, shorten: string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const type = req.headers['content-type'] ?? '';
    if (!/^multipart\/form-data/i.test(type)) return next();
    const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(type);
    const refuse = (status: number, text: string) => {
      res.status(status).type('text/plain').send(text);
      req.destroy();
    };
    if (!boundary) return refuse(400, 'The form could not be read: go back and try again.');
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > max) return refuse(413, tooLarge(max, shorten));
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > max) {
        done = true;
        return refuse(413, tooLarge(max, shorten));
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      try {
        req.body = parse(Buffer.concat(chunks), boundary[1] ?? boundary[2]);
      } catch (err) {
        if (err instanceof FieldTextProblem) return refuse(400, `What you sent could not be saved: ${err.message}. Go back, remove it and try again.`);
        return refuse(400, 'The form could not be read: go back and try again.');
      }
      next();
    });
    req.on('error', () => {
      done = true;
    });
  };
}

export const multipartFields = multipartBody(MAX_BYTES, parseMultipart, 'shorten the text');

/** The console's attachment upload form (a file and the CSRF token). */
export const UPLOAD_ROUTES = [{ path: 'console/notices/:id/attachments', method: RequestMethod.POST }];

/** The review import's upload form (issue 11): a CSV file up to the import's own limit. */
export const IMPORT_UPLOAD_ROUTES = [{ path: 'console/reviews/import', method: RequestMethod.POST }];

@Module({})
export class ConsoleBodyModule implements NestModule {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(multipartFields).forRoutes(...EDITOR_ROUTES);
    // The file's limit, plus room for the form's other parts: the service says "too large" against the limit itself.
    consumer.apply(multipartBody(this.config.attachments.maxBytes + 16 * 1024, parseUpload, 'choose a smaller file')).forRoutes(...UPLOAD_ROUTES);
    consumer.apply(multipartBody(MAX_IMPORT_BYTES + 16 * 1024, parseUpload, 'split the file into smaller ones')).forRoutes(...IMPORT_UPLOAD_ROUTES);
  }
}
