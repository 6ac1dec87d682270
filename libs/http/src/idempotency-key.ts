import { ApiHeader } from '@nestjs/swagger';

/** Longest `Idempotency-Key` accepted. */
export const IDEMPOTENCY_KEY_MAX = 255;
const KEY_PATTERN = new RegExp(`^[\\x21-\\x7E]{1,${IDEMPOTENCY_KEY_MAX}}$`);

/**
 * The optional `Idempotency-Key` header of a route, documented as {@link idempotencyKeyOf}
 * checks it (a schema, not only a description: a fuzzer sends what the schema allows).
 */
export function ApiIdempotencyKey(description: string): MethodDecorator {
  return ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: `1..${IDEMPOTENCY_KEY_MAX} visible ASCII characters. ${description}`,
    schema: {
      type: 'string',
      minLength: 1,
      maxLength: IDEMPOTENCY_KEY_MAX,
      pattern: '^[\\x21-\\x7E]+$',
    },
  });
}

/**
 * The `Idempotency-Key` header: absent → undefined; malformed or sent twice → what `invalid`
 * makes (each service's 400 INVALID_IDEMPOTENCY_KEY).
 */
export function idempotencyKeyOf(
  header: string | string[] | undefined,
  invalid: () => Error,
): string | undefined {
  if (header === undefined) return undefined;
  if (typeof header !== 'string' || !KEY_PATTERN.test(header)) throw invalid();
  return header;
}
