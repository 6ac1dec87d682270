import {
  type ArgumentsHost,
  BadRequestException,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { allowedMethodsOf, MethodNotAllowedError } from './allowed-methods';
import { dependencyFailureOf } from './dependency-failure';
import { DomainError, type ErrorBody } from './domain-error';
import { httpStatusOf, kindOfHttpStatus } from './error-kind';
import { RateLimitedError } from './rate-limited.error';

/** An error body before its `detail`, which is the message unless the error brings its own. */
type ErrorFields = Omit<ErrorBody, 'detail'>;

const CODE_BY_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  429: 'RATE_LIMITED',
  503: 'UNAVAILABLE',
  504: 'TIMEOUT',
};

/**
 * The single place where any error becomes an HTTP response: `{statusCode, code, message,
 * requestId, detail}` (`detail` for the seed's FastAPI clients), with `Retry-After` on a
 * {@link RateLimitedError}, `Allow` on a 405 and `WWW-Authenticate` on a 401. Unknown errors are
 * logged with their stack and answered with a bare 500, so no stack trace or internal message
 * ever leaves the service.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request & { id?: unknown }>();
    const response = http.getResponse<Response>();
    const requestId = typeof request.id === 'string' ? request.id : null;
    // A path routed for other methods than this one is a 405 (RFC 9110)
    const allowed =
      exception instanceof MethodNotAllowedError
        ? exception.allowed
        : isRouterMiss(exception, request)
          ? allowedMethodsOf(request)
          : [];
    const fields =
      allowed.length > 0
        ? {
            statusCode: 405,
            code: CODE_BY_STATUS[405] as string,
            message: `${request.method} is not allowed here; allowed: ${allowed.join(', ')}`,
            requestId,
          }
        : this.toBody(exception, requestId);
    const body: ErrorBody = {
      ...fields,
      detail: exception instanceof DomainError ? exception.detail : fields.message,
    };
    if (body.statusCode >= 500) {
      this.logger.error({ err: exception, requestId, path: request.url }, 'request failed');
    }
    if (!response.headersSent) {
      if (exception instanceof RateLimitedError) {
        response.setHeader('Retry-After', String(exception.retryAfterSeconds));
      }
      if (allowed.length > 0) response.setHeader('Allow', allowed.join(', '));
      if (body.statusCode === 401) {
        response.setHeader('WWW-Authenticate', bearerChallengeFor(request));
      }
      // `type` first: json() keeps a content type a route already set (say text/plain).
      response.status(body.statusCode).type('application/json').json(body);
    }
  }

  private toBody(thrown: unknown, requestId: string | null): ErrorFields {
    // A dead or stuck Postgres or Redis is a 503 naming it, not an INTERNAL 500.
    const exception = dependencyFailureOf(thrown) ?? thrown;
    if (exception instanceof DomainError) {
      return {
        statusCode: httpStatusOf(exception.kind),
        code: exception.code,
        message: exception.message,
        requestId,
        ...(exception.details ? { details: exception.details } : {}),
      };
    }
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      return {
        statusCode,
        code: codeOfHttpException(exception, statusCode),
        message: messageOfHttpException(exception),
        requestId,
      };
    }
    return { statusCode: 500, code: 'INTERNAL', message: 'Internal server error', requestId };
  }
}

/**
 * RFC 9110 §15.5.2: a 401 names its scheme; every credential the platform takes is a Bearer one.
 * RFC 6750 §3.1: `invalid_token` only when a bearer token was sent (none: no error code).
 */
function bearerChallengeFor(request: Request): string {
  const sent = /^\s*bearer\s+\S/i.test(request.headers.authorization ?? '');
  return sent ? 'Bearer error="invalid_token"' : 'Bearer';
}

/** Nest's answer when no route matched: `Cannot <METHOD> <url>` (RoutesResolver). */
function isRouterMiss(exception: unknown, request: Request): boolean {
  return (
    exception instanceof NotFoundException &&
    exception.message === `Cannot ${request.method} ${request.originalUrl}`
  );
}

/**
 * Nest's own HttpExceptions (the validation pipe's 400s, a guard's 403) as a DomainError, for the
 * RPC edge: a payload the pipe refuses reaches the caller as `invalid_input`, not as `internal`.
 */
export function domainErrorOfHttpException(exception: HttpException): DomainError {
  const statusCode = exception.getStatus();
  return new DomainError(
    kindOfHttpStatus(statusCode),
    codeOfHttpException(exception, statusCode),
    messageOfHttpException(exception),
  );
}

function codeOfHttpException(exception: HttpException, statusCode: number): string {
  if (exception instanceof BadRequestException) {
    const response = exception.getResponse();
    // The validation pipe's failures list every field's message.
    if (
      typeof response === 'object' &&
      response !== null &&
      Array.isArray((response as { message?: unknown }).message)
    ) {
      return 'VALIDATION_FAILED';
    }
  }
  return (
    CODE_BY_STATUS[statusCode] ??
    (kindOfHttpStatus(statusCode) === 'internal' ? 'INTERNAL' : 'BAD_REQUEST')
  );
}

function messageOfHttpException(exception: HttpException): string {
  if (exception.getStatus() >= 500) {
    return 'Internal server error';
  }
  const response = exception.getResponse();
  if (typeof response === 'string') {
    return response;
  }
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) {
    return message.map(String).join('; ');
  }
  return typeof message === 'string' ? message : exception.message;
}
