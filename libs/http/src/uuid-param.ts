import { applyDecorators, Param, ParseUUIDPipe, type PipeTransform, Query } from '@nestjs/common';
import { ApiParam, ApiQuery } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsUUID } from 'class-validator';
import { errorCatalog } from '@platform/errors';

const httpError = errorCatalog({ INVALID_ID: 'invalid_input' });

/**
 * What `ParseUUIDPipe` and `IsUUID()` accept (versions 1-8 with the RFC 9562 variant, or the nil
 * and max UUIDs), in either letter case: `format: uuid` alone says less, so the document states
 * this pattern beside it (an OpenAPI pattern has no `i` flag).
 */
export const UUID_PATTERN =
  '^(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}' +
  '|00000000-0000-0000-0000-000000000000|[fF]{8}-[fF]{4}-[fF]{4}-[fF]{4}-[fF]{12})$';
const UUID_SCHEMA = { type: 'string', format: 'uuid', pattern: UUID_PATTERN } as const;

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
  return documented(
    Param(name, uuidPipe(name), lowerCase),
    ApiParam({ name, schema: UUID_SCHEMA }),
  );
}

/** A required query parameter that must be a UUID, in lower case for the handler. */
export function UuidQuery(name: string): ParameterDecorator {
  return documented(
    Query(name, uuidPipe(name), lowerCase),
    ApiQuery({ name, schema: UUID_SCHEMA, required: true }),
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
