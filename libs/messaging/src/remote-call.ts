import { DomainError, REDIS_UNAVAILABLE } from '@platform/errors';

/** The code of a 503 naming the service that did not answer: `FACE_SERVICE_UNAVAILABLE`. */
export function remoteUnavailableCode(service: string): string {
  return `${service.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_SERVICE_UNAVAILABLE`;
}

/** 503 `<SERVICE>_SERVICE_UNAVAILABLE`: `service` did not answer in time. */
export function remoteUnavailable(service: string): DomainError {
  return new DomainError(
    'unavailable',
    remoteUnavailableCode(service),
    `The ${service} service is unavailable, try again later`,
  );
}

/**
 * A call to another service that did not get an answer (timeout, transport failure) becomes a 503
 * naming that service; an answer that is an error (e.g. FACE_NOT_MATCHED) passes through as is.
 */
export async function callRemote<T>(service: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (
      error instanceof DomainError &&
      (error.kind === 'timeout' || error.kind === 'unavailable') &&
      // Redis, the transport, failed (or the service's own Redis did): that is the name to give
      error.code !== REDIS_UNAVAILABLE
    ) {
      throw remoteUnavailable(service);
    }
    throw error;
  }
}
