import { HttpException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/**
 * A body a route refuses. Middleware runs before the guards, so the refusal travels as the body
 * and the controller throws it: the caller is authenticated and authorized before being told
 * anything about what it sent.
 */
export class RefusedBody {
  constructor(readonly error: HttpException) {}
}

/**
 * Reads a raw request body (an upload's bytes, a CSV file) up to `max` bytes. A body the app's
 * JSON or form parser read already, or one `accepts` refuses, becomes `unsupported()`; a body over
 * the limit becomes `tooLarge()`. Like body-parser, a refused body is still read to its end and
 * dropped, so the client reads the answer.
 */
export function limitedBody(opts: { max: number; accepts?: (contentType: string) => boolean; unsupported: () => HttpException; tooLarge: () => HttpException }) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const type = String(req.headers['content-type'] ?? '');
    if (req.body !== undefined || req.readableEnded || (opts.accepts && !opts.accepts(type))) {
      req.body = new RefusedBody(opts.unsupported());
      if (req.readableEnded) return next();
      req.resume();
      req.on('end', () => next());
      req.on('error', (err) => next(err));
      return;
    }
    let refusal: HttpException | null = Number(req.headers['content-length'] ?? 0) > opts.max ? opts.tooLarge() : null;
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (refusal) return;
      size += chunk.length;
      if (size > opts.max) {
        refusal = opts.tooLarge();
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      req.body = refusal ? new RefusedBody(refusal) : Buffer.concat(chunks);
      next();
    });
    req.on('error', (err) => next(err));
  };
}
