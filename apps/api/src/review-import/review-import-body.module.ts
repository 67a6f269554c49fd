import { HttpException, MiddlewareConsumer, Module, NestModule, PayloadTooLargeException, RequestMethod, UnsupportedMediaTypeException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { formatFileSize } from '@sne/core';

/** The largest import file: 2,000 reviews with long findings fit several times over. */
export const MAX_IMPORT_BYTES = 8 * 1024 * 1024;

/**
 * A body the import route refuses. Middleware runs before the guards, so the refusal travels as
 * the body and the controller throws it: the caller is authenticated (401) and authorized (403)
 * before being told anything about what it sent.
 */
export class RefusedCsvBody {
  constructor(readonly error: HttpException) {}
}

const isCsv = (type: string) => /^text\/csv\s*(;\s*charset="?utf-8"?\s*)?$/i.test(type.trim());

/**
 * The import takes the CSV file itself as the body (`Content-Type: text/csv`, UTF-8). Anything
 * else is refused with 415 (JSON and forms were read by the app's parsers already); a body over
 * MAX_IMPORT_BYTES with 413, read to its end and dropped so the client reads the answer.
 */
export function csvBody(max: number) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const type = String(req.headers['content-type'] ?? '');
    if (req.body !== undefined || req.readableEnded || !isCsv(type)) {
      req.body = new RefusedCsvBody(new UnsupportedMediaTypeException('send the CSV file itself as the body, with Content-Type: text/csv (UTF-8)'));
      if (req.readableEnded) return next();
      req.resume();
      req.on('end', () => next());
      req.on('error', (err) => next(err));
      return;
    }
    const tooLarge = () => new PayloadTooLargeException(`the file is larger than the limit of ${formatFileSize(max)}: split it into smaller files`);
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
      req.body = refusal ? new RefusedCsvBody(refusal) : Buffer.concat(chunks);
      next();
    });
    req.on('error', (err) => next(err));
  };
}

@Module({})
export class ReviewImportBodyModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(csvBody(MAX_IMPORT_BYTES)).forRoutes({ path: 'api/v1/reviews/import', method: RequestMethod.POST });
  }
}
