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
 * Nest's multer errors are 400 `BAD_REQUEST`: a body the parser could not read (its messages
 * start with `Multipart:`) is MALFORMED_BODY like broken JSON, a well-formed one outside the
 * route's limits (a second file, another field) VALIDATION_FAILED like an unknown JSON field.
 * 413 (file too large) and 415 keep their codes.
 */
@Injectable()
class MultipartErrorsInterceptor implements NestInterceptor {
  intercept(_context: unknown, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) => {
        if (!(error instanceof BadRequestException)) return throwError(() => error);
        const code = error.message.startsWith('Multipart:') ? MALFORMED_BODY : 'VALIDATION_FAILED';
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
