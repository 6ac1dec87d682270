import { Injectable, type NestMiddleware } from '@nestjs/common';
import { type NextFunction, type Request, type Response } from 'express';

/** When v2 replaced v1 (this service's first release): the instant `Deprecation` names. */
export const V1_DEPRECATED_AT = new Date('2026-12-04T00:00:00Z');

/** RFC 9745: the instant as a structured-field date, `@<seconds since the epoch>`. */
export const V1_DEPRECATION_HEADER = `@${Math.floor(V1_DEPRECATED_AT.getTime() / 1000)}`;

/** A path fit to be written into a header as it is (the v1 routes' paths always are). */
const PLAIN_PATH = /^\/[A-Za-z0-9/_.-]*$/;

/**
 * Every answer of a v1 route carries `Deprecation` (RFC 9745) and a `Link` to the same path
 * under v2, its refusals too (set before the guard and the validation run): a client whose v1
 * call is refused is one that most needs to hear that v1 is going.
 */
@Injectable()
export class V1DeprecationMiddleware implements NestMiddleware {
  use(request: Request, response: Response, next: NextFunction): void {
    response.setHeader('Deprecation', V1_DEPRECATION_HEADER);
    const path = (request.originalUrl.split('?')[0] ?? '').replace('/v1/', '/v2/');
    if (PLAIN_PATH.test(path)) response.setHeader('Link', `<${path}>; rel="successor-version"`);
    next();
  }
}
