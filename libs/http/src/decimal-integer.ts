import { Transform } from 'class-transformer';

const DECIMAL_INTEGER = /^-?[0-9]{1,16}$/;

/**
 * A query or path parameter documented as `integer` arrives as text: only decimal digits (with an
 * optional minus) become a number, so `@IsInt()` and the bounds judge it. Anything else (`1e2`,
 * `0x10`, ` 5`, `1.0`, an empty value) stays text and fails `@IsInt()`, where
 * `@Type(() => Number)` read them as 100, 16, 5, 1 and 0, which the document does not allow.
 */
export function FromDecimalText(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && DECIMAL_INTEGER.test(value) ? Number(value) : value,
  );
}
