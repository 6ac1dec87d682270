import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { buildMessage, ValidateBy, type ValidationOptions } from 'class-validator';
import { parseInstant, parseTrainDate, YEARS_PATTERN } from './instant';

/**
 * An ISO-8601 date-time string with or without an offset (without: Moscow time). Documented as
 * `format: date-time`, the form clients send; the missing offset is a leniency for the seed's.
 */
export function IsInstantString(options?: ValidationOptions): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ format: 'date-time', pattern: YEARS_PATTERN }),
    ValidateBy(
      {
        name: 'isInstantString',
        validator: {
          validate: (value: unknown) => typeof value === 'string' && parseInstant(value) !== null,
          defaultMessage: buildMessage(
            (each) =>
              `${each}$property must be an ISO-8601 date-time of the years 1970-9999, e.g. 2026-11-22T09:00:00+03:00`,
            options,
          ),
        },
      },
      options,
    ),
  );
}

/**
 * A date (`2026-11-22`) or an ISO-8601 date-time (its Moscow calendar day is used). Documented as
 * `format: date`, the form clients send.
 */
export function IsTrainDateString(options?: ValidationOptions): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ format: 'date', pattern: YEARS_PATTERN }),
    ValidateBy(
      {
        name: 'isTrainDateString',
        validator: {
          validate: (value: unknown) => typeof value === 'string' && parseTrainDate(value) !== null,
          defaultMessage: buildMessage(
            (each) =>
              `${each}$property must be a date (2026-11-22) or an ISO-8601 date-time of the years 1970-9999`,
            options,
          ),
        },
      },
      options,
    ),
  );
}

/**
 * Unicode NFC of a string before it is validated: "é" typed as one code point or as "e" and a
 * combining accent is one login, whichever the keyboard or the console sent.
 */
export function NormalizeNfc(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.normalize('NFC') : value,
  );
}
