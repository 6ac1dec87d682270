import { Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiParam, ApiQuery } from '@nestjs/swagger';
import { errorCatalog } from '@platform/errors';

const httpError = errorCatalog({ INVALID_ID: 'invalid_input' });

function uuidPipe(name: string): ParseUUIDPipe {
  return new ParseUUIDPipe({
    exceptionFactory: () => httpError('INVALID_ID', `${name} must be a UUID`),
  });
}

/** A path parameter that must be a UUID: anything else is a 400 before any query runs. */
export function UuidParam(name: string): ParameterDecorator {
  return documented(Param(name, uuidPipe(name)), ApiParam({ name, format: 'uuid' }));
}

/** A required query parameter that must be a UUID. */
export function UuidQuery(name: string): ParameterDecorator {
  return documented(
    Query(name, uuidPipe(name)),
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
