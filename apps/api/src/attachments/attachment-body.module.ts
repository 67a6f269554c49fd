import { HttpException, Inject, MiddlewareConsumer, Module, NestModule, PayloadTooLargeException, RequestMethod, UnsupportedMediaTypeException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { APP_CONFIG, AppConfig, formatFileSize as kb } from '@sne/core';

/**
 * A body the upload route refuses. Middleware runs before the guards, so the refusal travels as
 * the body and the controller throws it: a caller is authenticated (401, 404, or 503 while the
 * database is away) before being told anything about what it sent.
 */
export class RefusedFileBody {
  constructor(readonly error: HttpException) {}
}

/**
 * The API's upload route takes the file's bytes as the request body (any content type but JSON
 * and forms, which the app's parsers have read already: those are refused with 415). The body is
 * read up to the attachment size limit: beyond it the rest is drained and dropped (413).
 */
export function rawFileBody(max: number) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    // Read already by the app's JSON or form parser.
    if (req.body !== undefined || req.readableEnded) {
      req.body = new RefusedFileBody(new UnsupportedMediaTypeException("send the file's bytes as the body (Content-Type: application/octet-stream), not JSON or a form"));
      return next();
    }
    const tooLarge = () => new PayloadTooLargeException(`the file is larger than the limit of ${kb(max)}`);
    // Like body-parser: a refused body is still read to its end (and dropped), so the client reads the answer.
    let refusal: HttpException | null = Number(req.headers['content-length'] ?? 0) > max ? tooLarge() : null;
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (refusal) return;
      size += chunk.length;
      if (size > max) {
        refusal = tooLarge();
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      req.body = refusal ? new RefusedFileBody(refusal) : Buffer.concat(chunks);
      next();
    });
    req.on('error', (err) => next(err));
  };
}

@Module({})
export class AttachmentBodyModule implements NestModule {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(rawFileBody(this.config.attachments.maxBytes)).forRoutes({ path: 'api/v1/notices/:id/attachments', method: RequestMethod.POST });
  }
}
