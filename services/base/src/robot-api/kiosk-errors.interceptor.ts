import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { FACE_ERROR_CODES } from '@platform/contracts';
import { assertNever, DomainError, type ErrorKind } from '@platform/errors';
import { catchError, type Observable, throwError } from 'rxjs';

/**
 * The kind a refusal takes on the robot kiosk's routes: what the seed's server answered the
 * deployed kiosk in the same situation (robot-platform.md §4.3, §8.1). A face it cannot use (no
 * face, too many, too small or blurred) or does not know (below the match threshold) was 422
 * "Can`t recognize face" on identification and ticket validation, and stays 422, with our code
 * and message in `detail`: the kiosk sends a frame every 2 s at an empty door and must not see a
 * ticket refusal (400) for it. Refusals the seed never gave (a ticket already used: 409; a body
 * over the size limit: 413) are 400, the status of its other ticket refusals. Validation, 401,
 * 403, 404, 429 and 5xx stay what they are.
 */
export function kioskKindOf(error: Pick<DomainError, 'kind' | 'code'>): ErrorKind {
  const kind = error.kind;
  switch (kind) {
    case 'not_found':
      return error.code === FACE_ERROR_CODES.notMatched ? 'unprocessable' : kind;
    case 'invalid_input':
    case 'forbidden':
    case 'unprocessable':
    case 'unauthenticated':
    case 'rate_limited':
    case 'unavailable':
    case 'timeout':
    case 'internal':
      return kind;
    case 'conflict':
    case 'payload_too_large':
      return 'invalid_input';
    default:
      return assertNever(kind);
  }
}

/** Answers the robot kiosk's refusals with the seed's statuses ({@link kioskKindOf}). */
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
  const kind = kioskKindOf(error);
  if (kind === error.kind) {
    return error;
  }
  const detail = typeof error.detail === 'object' ? { detail: error.detail } : {};
  return new DomainError(kind, error.code, error.message, error.details, detail);
}
