import { DomainError } from '@platform/errors';

/**
 * A call to another service that did not get an answer (timeout, transport failure) becomes a 503
 * naming that service; an answer that is an error (e.g. FACE_NOT_MATCHED) passes through as is.
 */
export async function callRemote<T>(
  code: string,
  service: string,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (
      error instanceof DomainError &&
      (error.kind === 'timeout' || error.kind === 'unavailable')
    ) {
      throw new DomainError(
        'unavailable',
        code,
        `The ${service} service is unavailable, try again later`,
      );
    }
    throw error;
  }
}
