import { DomainError } from '@platform/errors';

/**
 * The error a promise rejects with, checked to be an instance of `type` (DomainError unless
 * said otherwise). A promise that resolves, or rejects with anything else, fails the test.
 */
export async function failureOf<E extends Error = DomainError>(
  promise: Promise<unknown>,
  type: abstract new (...args: never[]) => E = DomainError as unknown as abstract new (
    ...args: never[]
  ) => E,
): Promise<E> {
  const outcome = await promise.then(
    (value: unknown) => ({ resolved: true as const, value }),
    (error: unknown) => ({ resolved: false as const, error }),
  );
  if (outcome.resolved) {
    throw new Error(`Expected a rejection with ${type.name}, but it resolved`);
  }
  if (!(outcome.error instanceof type)) {
    throw new Error(`Expected a rejection with ${type.name}, got ${String(outcome.error)}`);
  }
  return outcome.error;
}
