import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/** The live feeds' routes: the only ones that take the API key from the query string. */
export const LIVE_FEED_ROUTES = [
  { path: 'api/v1/feed', method: RequestMethod.GET },
  { path: 'api/v1/notices/:id/events', method: RequestMethod.GET },
];

/**
 * A browser's EventSource cannot send an Authorization header, so the live feeds also accept
 * `?access_token=<key>`: it becomes the bearer header before ApiKeyGuard runs. A header, when
 * present, wins. Only on the feed routes: everywhere else the key stays out of URLs.
 */
export function accessTokenFromQuery(req: Request, _res: Response, next: NextFunction): void {
  const token = (req.query as Record<string, unknown>)?.access_token;
  if (req.headers.authorization === undefined && typeof token === 'string' && token !== '') {
    req.headers.authorization = `Bearer ${token}`;
  }
  next();
}

@Module({})
export class LiveAccessTokenModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(accessTokenFromQuery).forRoutes(...LIVE_FEED_ROUTES);
  }
}
