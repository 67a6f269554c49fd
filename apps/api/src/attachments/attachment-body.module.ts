import { Inject, MiddlewareConsumer, Module, NestModule, PayloadTooLargeException, RequestMethod, UnsupportedMediaTypeException } from '@nestjs/common';
import { limitedBody } from '../common/limited-body';
import { APP_CONFIG, AppConfig, formatFileSize as kb } from '@sne/core';

/**
 * The API's upload route takes the file's bytes as the request body (any content type but JSON
 * and forms, which the app's parsers have read already: those are refused with 415), up to the
 * attachment size limit (413).
 */
export function rawFileBody(max: number) {
  return limitedBody({
    max,
    unsupported: () => new UnsupportedMediaTypeException("send the file's bytes as the body (Content-Type: application/octet-stream), not JSON or a form"),
    tooLarge: () => new PayloadTooLargeException(`the file is larger than the limit of ${kb(max)}`),
  });
}

@Module({})
export class AttachmentBodyModule implements NestModule {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(rawFileBody(this.config.attachments.maxBytes)).forRoutes({ path: 'api/v1/notices/:id/attachments', method: RequestMethod.POST });
  }
}
