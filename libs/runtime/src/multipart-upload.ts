import {
  applyDecorators,
  BadRequestException,
  type CallHandler,
  Injectable,
  type NestInterceptor,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { DomainError } from '@platform/errors';
import { catchError, type Observable, throwError } from 'rxjs';
import { AcceptsBody } from './body-media-type';
import { MALFORMED_BODY } from './request-input';

export const MULTIPART_MEDIA_TYPE = 'multipart/form-data';

/**
 * Nest's multer errors are 400 `BAD_REQUEST` with multer's error as their cause: one with a multer
 * code (a second file, another field: `LIMIT_*`, `MISSING_FIELD_NAME`) is a well-formed body outside
 * the route's limits, VALIDATION_FAILED like an unknown JSON field; any other (busboy could not
 * parse the body) is MALFORMED_BODY like broken JSON. 413 (file too large) and 415 keep theirs.
 */
@Injectable()
class MultipartErrorsInterceptor implements NestInterceptor {
  intercept(_context: unknown, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) => {
        if (!(error instanceof BadRequestException)) return throwError(() => error);
        const multerCode = (error.cause as { code?: unknown } | undefined)?.code;
        const code = typeof multerCode === 'string' ? 'VALIDATION_FAILED' : MALFORMED_BODY;
        return throwError(() => new DomainError('invalid_input', code, error.message));
      }),
    );
  }
}

/**
 * A route that reads one uploaded file (multipart `field`, at most `maxBytes`, held in memory)
 * and nothing else: no other part, no text field. The file arrives by `@UploadedFile()`,
 * undefined when none was sent.
 */
export const MultipartFileUpload = (field: string, maxBytes: number): MethodDecorator =>
  applyDecorators(
    AcceptsBody(MULTIPART_MEDIA_TYPE),
    UseInterceptors(
      MultipartErrorsInterceptor,
      FileInterceptor(field, { limits: { fileSize: maxBytes, files: 1, fields: 0, parts: 1 } }),
    ),
  );
