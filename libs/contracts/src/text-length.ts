import { ValidateBy, type ValidationArguments, type ValidationOptions } from 'class-validator';

const HIGH_SURROGATE_FIRST = 0xd800;
const HIGH_SURROGATE_LAST = 0xdbff;
const LOW_SURROGATE_FIRST = 0xdc00;
const LOW_SURROGATE_LAST = 0xdfff;

/**
 * Characters as JSON Schema's `minLength`/`maxLength`, Postgres's `varchar(n)` and the kiosk's
 * pydantic count them: code points (a surrogate pair is one, a lone surrogate is one).
 */
export function codePointLength(text: string): number {
  let length = text.length;
  for (let index = 0; index < text.length - 1; index++) {
    const unit = text.charCodeAt(index);
    if (unit < HIGH_SURROGATE_FIRST || unit > HIGH_SURROGATE_LAST) continue;
    const next = text.charCodeAt(index + 1);
    if (next >= LOW_SURROGATE_FIRST && next <= LOW_SURROGATE_LAST) {
      length--;
      index++;
    }
  }
  return length;
}

function isTextLengthWithin(text: string, min: number, max: number): boolean {
  // A code point is one or two UTF-16 units, so most texts (a 10 MiB image too) need no count.
  if (text.length <= max && text.length >= 2 * min) return true;
  const length = codePointLength(text);
  return length >= min && length <= max;
}

function lengthRule(min: number, max: number): string {
  if (min === max) return `exactly ${max}`;
  return min === 0 ? `at most ${max}` : `${min} to ${max}`;
}

/**
 * A string of `min..max` characters counted as {@link codePointLength} counts them: what the
 * OpenAPI document's `minLength`/`maxLength` say and what a `varchar(max)` column holds.
 * class-validator's `Length`/`MaxLength` count differently (a variation selector after a
 * character is not counted), so a text one character too long for its column passed them and
 * the insert failed with a 500.
 */
export function TextLength(
  min: number,
  max: number,
  validationOptions?: ValidationOptions,
): PropertyDecorator {
  return ValidateBy(
    {
      name: 'textLength',
      constraints: [min, max],
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && isTextLengthWithin(value, min, max),
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property ?? 'value'} must be a string of ${lengthRule(min, max)} characters`,
      },
    },
    validationOptions,
  );
}

/** {@link TextLength} with no lower bound. */
export function MaxTextLength(
  max: number,
  validationOptions?: ValidationOptions,
): PropertyDecorator {
  return TextLength(0, max, validationOptions);
}
