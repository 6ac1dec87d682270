import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
} from '@nestjs/common';
import { type Observable, throwError } from 'rxjs';
import { dependencyFailureOf } from './dependency-failure';
import { DomainError, type RpcErrorPayload } from './domain-error';
import { domainErrorOfHttpException, HttpErrorFilter } from './http-error.filter';

/**
 * One filter for both edges of a hybrid app: HTTP errors become the JSON error body, RPC errors
 * become `{kind, code, message}` on the Redis wire so the caller can rethrow a typed error.
 */
@Catch()
export class PlatformExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('PlatformExceptionFilter');
  private readonly http = new HttpErrorFilter();

  catch(exception: unknown, host: ArgumentsHost): Observable<never> | void {
    if (host.getType() === 'rpc') {
      return throwError(() => this.toRpcPayload(exception, host));
    }
    return this.http.catch(exception, host);
  }

  private toRpcPayload(thrown: unknown, host: ArgumentsHost): RpcErrorPayload {
    // The caller of an RPC sees a dead or stuck Postgres or Redis here as `unavailable`, named,
    // and a payload the validation pipe refused as `invalid_input`.
    const exception =
      dependencyFailureOf(thrown) ??
      (thrown instanceof HttpException ? domainErrorOfHttpException(thrown) : thrown);
    if (exception instanceof DomainError) {
      return {
        kind: exception.kind,
        code: exception.code,
        message: exception.message,
        ...(exception.details ? { details: exception.details } : {}),
        ...(typeof exception.detail === 'object' ? { detail: exception.detail } : {}),
      };
    }
    this.logger.error(
      { err: exception, pattern: host.switchToRpc().getContext<unknown>() },
      'rpc handler failed',
    );
    return { kind: 'internal', code: 'INTERNAL', message: 'Internal error' };
  }
}
