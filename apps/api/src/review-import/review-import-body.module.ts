import { MiddlewareConsumer, Module, NestModule, PayloadTooLargeException, RequestMethod, UnsupportedMediaTypeException } from '@nestjs/common';
import { limitedBody } from '../common/limited-body';
import { formatFileSize } from '@sne/core';

/** The largest import file: 2,000 reviews with long findings fit several times over. */
export const MAX_IMPORT_BYTES = 8 * 1024 * 1024;

const isCsv = (type: string) => /^text\/csv\s*(;\s*charset="?utf-8"?\s*)?$/i.test(type.trim());

/**
 * The import takes the CSV file itself as the body (`Content-Type: text/csv`, UTF-8). Anything
 * else is refused with 415 (JSON and forms were read by the app's parsers already); a body over
 * MAX_IMPORT_BYTES with 413, read to its end and dropped so the client reads the answer.
 */
export function csvBody(max: number) {
  return limitedBody({
    max,
    accepts: isCsv,
    unsupported: () => new UnsupportedMediaTypeException('send the CSV file itself as the body, with Content-Type: text/csv (UTF-8)'),
    tooLarge: () => new PayloadTooLargeException(`the file is larger than the limit of ${formatFileSize(max)}: split it into smaller files`),
  });
}

@Module({})
export class ReviewImportBodyModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(csvBody(MAX_IMPORT_BYTES)).forRoutes({ path: 'api/v1/reviews/import', method: RequestMethod.POST });
  }
}
