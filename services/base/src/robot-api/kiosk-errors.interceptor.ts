import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { assertNever, DomainError, type ErrorKind } from '@platform/errors';
import { catchError, type Observable, throwError } from 'rxjs';

/**
 * The kind a refusal takes on the robot kiosk's routes. The deployed kiosk (the seed's client)
 * handles 400, 403 and 404 and shows anything else as an unknown server error, so a refusal it
 * should explain (no face on the frame: 422; a ticket already used: 409) is a 400 there, with its
 * code and `detail` unchanged. Server-side failures (503, 504, 500) stay what they are: "unknown
 * server error" is the truth. 401 and 429 stay too: the session and the rate limit are the
 * transport's, answered before or outside the kiosk's call (docs/api/base.md, robot kiosk).
 */
export function kioskKindOf(kind: ErrorKind): ErrorKind {
  switch (kind) {
    case 'invalid_input':
    case 'forbidden':
    case 'not_found':
    case 'unauthenticated':
    case 'rate_limited':
    case 'unavailable':
    case 'timeout':
    case 'internal':
      return kind;
    case 'unprocessable':
    case 'conflict':
    case 'payload_too_large':
      return 'invalid_input';
    default:
      return assertNever(kind);
  }
}

/** Answers the robot kiosk's refusals with statuses it handles ({@link kioskKindOf}). */
@Injectable()
export class KioskErrorsInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(catchError((error: unknown) => throwError(() => forKiosk(error))));
  }
}

function forKiosk(error: unknown): unknown {
  if (!(error instanceof DomainError)) {
    return error;
  }
  const kind = kioskKindOf(error.kind);
  if (kind === error.kind) {
    return error;
  }
  const detail = typeof error.detail === 'object' ? { detail: error.detail } : {};
  return new DomainError(kind, error.code, error.message, error.details, detail);
}
