import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { buildMessage, IsOptional, ValidateBy } from 'class-validator';

/**
 * Scalars as the seed's pydantic models read them (lax mode), for the clients already in the
 * field: an integer may come as the string of its digits, a boolean query flag as `1`/`0`,
 * `yes`/`no`... Each decorator documents exactly the forms it accepts.
 */

/**
 * An integer in `0..max`, or a string of 1..`digits` decimal digits read as the integer it spells
 * (the seed's store terminal sends what was typed: `"15"`).
 */
export function IsIntegerOrDigits(
  max: number,
  digits: number,
  description?: string,
): PropertyDecorator {
  const pattern = new RegExp(`^[0-9]{1,${digits}}$`);
  return applyDecorators(
    ApiProperty({
      description,
      oneOf: [
        { type: 'integer', minimum: 0, maximum: max },
        { type: 'string', pattern: pattern.source, description: 'the digits of an integer' },
      ],
    }),
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' && pattern.test(value) ? Number(value) : value,
    ),
    ValidateBy({
      name: 'isIntegerOrDigits',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max,
        defaultMessage: buildMessage(
          (each) => `${each}$property must be an integer in 0..${max} (or its digits as a string)`,
        ),
      },
    }),
  );
}

const TRUE_WORDS = ['true', '1', 'yes', 'on', 't', 'y'] as const;
const FALSE_WORDS = ['false', '0', 'no', 'off', 'f', 'n'] as const;
const BOOLEAN_WORDS: ReadonlySet<string> = new Set([...TRUE_WORDS, ...FALSE_WORDS]);
const TRUE_SET: ReadonlySet<string> = new Set(TRUE_WORDS);

/** `[Tt][Rr][Uu][Ee]`: the word in either case, letter by letter (JSON Schema has no /i flag). */
function anyCase(word: string): string {
  return [...word]
    .map((char) =>
      char.toLowerCase() === char.toUpperCase() ? char : `[${char.toUpperCase()}${char}]`,
    )
    .join('');
}

/**
 * An optional boolean query flag: the words pydantic reads as booleans, in any letter case as it
 * compares them (`true`, `True`, `TRUE`, `1`, `yes`, `on`, `t`, `y` and their opposites).
 */
export function IsOptionalBooleanWord(defaultValue: boolean): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'string',
      pattern: `^(${[...BOOLEAN_WORDS].map(anyCase).join('|')})$`,
      description: `${TRUE_WORDS.join(', ')} or ${FALSE_WORDS.join(', ')}, in any letter case`,
      default: String(defaultValue),
    }),
    IsOptional(),
    Transform(({ value }: { value: unknown }) => {
      const word = typeof value === 'string' ? value.toLowerCase() : undefined;
      return word !== undefined && BOOLEAN_WORDS.has(word) ? TRUE_SET.has(word) : value;
    }),
    ValidateBy({
      name: 'isBooleanWord',
      validator: {
        validate: (value: unknown) => typeof value === 'boolean',
        defaultMessage: buildMessage(
          (each) =>
            `${each}$property must be one of ${[...BOOLEAN_WORDS].join(', ')} (any letter case)`,
        ),
      },
    }),
  );
}
