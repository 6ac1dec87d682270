import { Transform } from 'class-transformer';
import { buildMessage, ValidateBy, type ValidationOptions } from 'class-validator';
import { parseInstant, parseTrainDate } from './instant';

/** An ISO-8601 date-time string with or without an offset (without: Moscow time). */
export function IsInstantString(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isInstantString',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && parseInstant(value) !== null,
        defaultMessage: buildMessage(
          (each) =>
            `${each}$property must be an ISO-8601 date-time, e.g. 2026-11-22T09:00:00+03:00`,
          options,
        ),
      },
    },
    options,
  );
}

/** A date (`2026-11-22`) or an ISO-8601 date-time (its Moscow calendar day is used). */
export function IsTrainDateString(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isTrainDateString',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && parseTrainDate(value) !== null,
        defaultMessage: buildMessage(
          (each) => `${each}$property must be a date (2026-11-22) or an ISO-8601 date-time`,
          options,
        ),
      },
    },
    options,
  );
}

/** Trims surrounding white space of a string before it is validated. */
export function Trim(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim() : value,
  );
}
