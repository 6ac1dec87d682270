import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
  SetMetadata,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { IncomingMessage } from 'node:http';
import type { Observable } from 'rxjs';

/** The media type every route's body is unless it says otherwise ({@link AcceptsBody}). */
export const JSON_MEDIA_TYPE = 'application/json';

const ACCEPTED_BODY_TYPES = 'platform:accepted-body-media-types';

/**
 * Methods whose body is checked (the OpenAPI documents their 415 too, strict-openapi.ts). Whatever
 * a GET, HEAD or OPTIONS carries is ignored, as before.
 */
export const BODY_CHECKED_METHODS: ReadonlySet<string> = new Set([
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
]);

/** The body media types a route reads instead of JSON, e.g. `multipart/form-data` for uploads. */
export const AcceptsBody = (...mediaTypes: string[]): ClassDecorator & MethodDecorator =>
  SetMetadata(ACCEPTED_BODY_TYPES, mediaTypes);

/**
 * The media type of a request, lower case without parameters. A body that names none is read as
 * JSON: FastAPI, which the field clients were written against, read such a body as JSON too.
 */
export function mediaTypeOf(request: Pick<IncomingMessage, 'headers'>): string {
  const [type = ''] = (request.headers['content-type'] ?? '').split(';');
  return type.trim().toLowerCase() || JSON_MEDIA_TYPE;
}

/** Bytes follow the headers (an empty body with a type is no body to refuse). */
export function carriesBody(request: Pick<IncomingMessage, 'headers'>): boolean {
  const length = request.headers['content-length'];
  return (
    request.headers['transfer-encoding'] !== undefined ||
    (length !== undefined && Number(length) > 0)
  );
}

/**
 * Refuses a body of a type the route does not read with 415 UNSUPPORTED_MEDIA_TYPE. Without it
 * such a body reached the handler as `{}`: a form or multipart upload sent to a JSON route read as
 * "no fields", which on some routes means "remove" (a passenger's face: robot-platform.md §4.4).
 */
@Injectable()
export class BodyMediaTypeInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const request = context.switchToHttp().getRequest<IncomingMessage>();
      if (BODY_CHECKED_METHODS.has(request.method ?? '') && carriesBody(request)) {
        const accepted = this.reflector.getAllAndOverride<string[] | undefined>(
          ACCEPTED_BODY_TYPES,
          [context.getHandler(), context.getClass()],
        ) ?? [JSON_MEDIA_TYPE];
        if (!accepted.includes(mediaTypeOf(request))) {
          throw new UnsupportedMediaTypeException(`Request body must be ${accepted.join(' or ')}`);
        }
      }
    }
    return next.handle();
  }
}
