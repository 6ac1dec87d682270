import { DomainError } from '@platform/errors';
import { isFaceError } from '../recognition';

/**
 * A FaceError as the platform carries it (HTTP status and RPC `kind` from its code's kind, the
 * measured values and limits in `details`); anything else unchanged (the filter's business).
 */
export function toDomainError(error: unknown): unknown {
  if (!isFaceError(error)) return error;
  return new DomainError(
    error.kind,
    error.code,
    error.message,
    error.details ? { ...error.details } : undefined,
  );
}

/** Runs a recognition call and rethrows its FaceError as a DomainError. */
export async function asDomain<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toDomainError(error);
  }
}
