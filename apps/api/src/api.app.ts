import type { IncomingMessage } from 'node:http';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import type { Request } from 'express';
import helmet from 'helmet';
import { CoreDeps } from '@sne/core';
import { ApiModule } from './api.module';
import { withServerErrors } from './common/api-docs';
import { InputValidationPipe } from './common/input-validation.pipe';
import { refuseMalformedText, verifyFormBody, verifyJsonBody } from './common/request-text';

/** Builds the HTTP app (not yet listening), the same way for the standalone runner, `start:api` and tests. */
export async function createApiApp(deps: CoreDeps): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.with(deps), {
    bodyParser: false,
    bufferLogs: false,
  });
  app.disable('x-powered-by');
  // The client's address (rate limits, sign-in locks, audit) is the connection's, or X-Forwarded-For's only from a listed proxy.
  app.set('trust proxy', deps.config.trustedProxies.length ? deps.config.trustedProxies : false);
  app.use(securityHeaders());
  app.use(cookieParser());
  // CORS is closed unless origins are listed: the console is served from the same origin.
  if (deps.config.corsOrigins.length) app.enableCors({ origin: deps.config.corsOrigins, credentials: false });
  // strict: only objects and arrays are JSON bodies; the limit answers 413 before parsing.
  // verify: UTF-8 only, no repeated keys, bounded nesting (common/request-text.ts).
  app.useBodyParser('json', { limit: deps.config.bodyLimit, strict: true, reviver: refusePrototypeKeys, verify: verifyJsonBody, type: parsedUnlessRaw('application/json') });
  app.useBodyParser('urlencoded', { limit: '16kb', extended: false, verify: verifyFormBody, type: parsedUnlessRaw('application/x-www-form-urlencoded') });
  // Then every string of the address and the body must be well-formed text, before anything else reads it.
  app.use(refuseMalformedText);
  app.useGlobalPipes(new InputValidationPipe());
  app.enableShutdownHooks();
  const docs = new DocumentBuilder()
    .setTitle('Safety Notice Exchange')
    .setDescription(
      'Cross-jurisdictional safety notices: two-person approval, broadcast to subscribed agencies by signed webhook ' +
        '(Standard Webhooks) or email, tracked acknowledgments. Authenticate with `Authorization: Bearer <API key>`.',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('docs', app, () => withServerErrors(SwaggerModule.createDocument(app, docs)), { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}

/** `__proto__` and `constructor` are never field names here: refuse them (400) rather than let them near an object. */
function refusePrototypeKeys(key: string, value: unknown): unknown {
  if (key === '__proto__' || key === 'constructor' || key === 'prototype') {
    throw new SyntaxError(`the key "${key}" is not allowed`);
  }
  return value;
}

/** helmet's headers everywhere; the API docs page runs Swagger UI's own scripts, so it gets a CSP that allows them. */
function securityHeaders() {
  const strict = helmet({ contentSecurityPolicy: { directives: { 'frame-src': ["'self'"], 'form-action': ["'self'"] } } });
  const docs = helmet({ contentSecurityPolicy: false });
  return (req: { path: string }, res: unknown, next: () => void) =>
    (req.path.startsWith('/docs') ? docs : strict)(req as never, res as never, next);
}

/**
 * Routes whose body is a file (an attachment's bytes, an import's CSV): their own middleware reads
 * it and answers 415 to any other type. The JSON and form parsers leave them alone, so a file sent
 * as JSON is told its type is wrong (415), not that it is bad JSON (400).
 */
const RAW_BODY_ROUTES = [/^\/api\/v1\/reviews\/import\/?(\?|$)/i, /^\/api\/v1\/notices\/[^/?]+\/attachments\/?(\?|$)/i];

function parsedUnlessRaw(mediaType: string) {
  return (req: IncomingMessage) => {
    const r = req as Request;
    // Express matches paths whatever their case, and a request target may be absolute (http://host/path).
    const path = (r.originalUrl ?? r.url ?? '').replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '');
    return Boolean(r.is(mediaType)) && !(r.method === 'POST' && RAW_BODY_ROUTES.some((route) => route.test(path)));
  };
}
