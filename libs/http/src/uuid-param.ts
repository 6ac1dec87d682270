import { applyDecorators, Param, ParseUUIDPipe, type PipeTransform, Query } from '@nestjs/common';
import { ApiParam, ApiQuery } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsUUID } from 'class-validator';
import { errorCatalog } from '@platform/errors';

const httpError = errorCatalog({ INVALID_ID: 'invalid_input' });

function uuidPipe(name: string): ParseUUIDPipe {
  return new ParseUUIDPipe({
    exceptionFactory: () => httpError('INVALID_ID', `${name} must be a UUID`),
  });
}

/**
 * One spelling per id: a UUID names the same thing in either letter case, but text compared as
 * such (Redis keys, ChromaDB metadata, another service's map) would take `ABC…` and `abc…` for two.
 */
const lowerCase: PipeTransform<string, string> = { transform: (value) => value.toLowerCase() };

/**
 * A path parameter that must be a UUID: anything else is a 400 before any query runs. Handlers
 * get it in lower case.
 */
export function UuidParam(name: string): ParameterDecorator {
  return documented(Param(name, uuidPipe(name), lowerCase), ApiParam({ name, format: 'uuid' }));
}

/** A required query parameter that must be a UUID, in lower case for the handler. */
export function UuidQuery(name: string): ParameterDecorator {
  return documented(
    Query(name, uuidPipe(name), lowerCase),
    ApiQuery({ name, format: 'uuid', required: true }),
  );
}

/** The parameter decorator, plus the method's OpenAPI entry saying the parameter is a UUID. */
function documented(parameter: ParameterDecorator, openApi: MethodDecorator): ParameterDecorator {
  return (target, method, index) => {
    parameter(target, method, index);
    const descriptor =
      method === undefined ? undefined : Object.getOwnPropertyDescriptor(target, method);
    if (method !== undefined && descriptor !== undefined) openApi(target, method, descriptor);
  };
}

/**
 * A UUID field of a body or query DTO, given to the handler in lower case as {@link UuidParam}
 * does for path parameters: ids are also compared as text (Redis keys of device sessions and rate
 * limits, columns holding another service's id, ids echoed back), where `ABC…` and `abc…` would
 * be two things.
 */
export function IsCanonicalUuid(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? value.toLowerCase() : value,
    ),
    IsUUID(),
  );
}
