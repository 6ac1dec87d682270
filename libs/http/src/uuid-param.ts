import { Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { errorCatalog } from '@platform/errors';

const httpError = errorCatalog({ INVALID_ID: 'invalid_input' });

function uuidPipe(name: string): ParseUUIDPipe {
  return new ParseUUIDPipe({
    exceptionFactory: () => httpError('INVALID_ID', `${name} must be a UUID`),
  });
}

/** A path parameter that must be a UUID: anything else is a 400 before any query runs. */
export function UuidParam(name: string): ParameterDecorator {
  return Param(name, uuidPipe(name));
}

/** A required query parameter that must be a UUID. */
export function UuidQuery(name: string): ParameterDecorator {
  return Query(name, uuidPipe(name));
}
