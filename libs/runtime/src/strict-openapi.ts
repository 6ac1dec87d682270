import { type OpenAPIObject } from '@nestjs/swagger';
import { BODY_CHECKED_METHODS } from './body-media-type';

type Schema = Record<string, unknown>;
type Operation = {
  parameters?: { in: string; schema?: Schema }[];
  requestBody?: unknown;
  responses?: Record<string, Schema>;
  security?: Record<string, string[]>[];
};

/** Name of the shared error body schema in `components.schemas`. */
export const ERROR_BODY_SCHEMA = 'ErrorBody';

const ERROR_BODY: Schema = {
  type: 'object',
  description: 'Every error of every service (HttpErrorFilter) and of the gateway',
  required: ['statusCode', 'code', 'message', 'requestId'],
  properties: {
    statusCode: { type: 'integer', minimum: 400, maximum: 599 },
    code: { type: 'string', description: 'Stable SCREAMING_SNAKE identifier' },
    message: { type: 'string' },
    requestId: { type: 'string', nullable: true },
    details: { type: 'object', additionalProperties: true },
    detail: {
      description:
        "FastAPI's detail for the seed's clients (the robot kiosk): the message, or the seed's " +
        "object where it sent one. Every service answer carries it; the gateway's own do not.",
      oneOf: [{ type: 'string' }, { type: 'object', additionalProperties: true }],
    },
  },
};

/**
 * Answers any operation may give, each with why. Declared only where they can happen: a
 * documented status is a promise the API fuzzer holds the services to.
 */
const STANDARD_ERRORS: {
  status: string;
  description: string;
  applies: (op: Operation, path: string, method: string) => boolean;
}[] = [
  {
    status: '400',
    description: 'Invalid input (VALIDATION_FAILED, MALFORMED_BODY, INVALID_CHARACTER, ...)',
    // `%00` in any URL is refused before routing
    applies: () => true,
  },
  {
    status: '401',
    description: 'No, expired or invalid credentials',
    applies: (op) => (op.security ?? []).length > 0,
  },
  {
    status: '404',
    description: 'No such resource',
    applies: (op) => (op.parameters ?? []).some((parameter) => parameter.in === 'path'),
  },
  {
    status: '413',
    description: 'Request body is too large',
    applies: (op) => op.requestBody !== undefined,
  },
  {
    status: '415',
    description:
      'A body of another media type than the route reads, or an unsupported charset or content encoding',
    // BodyMediaTypeInterceptor: any body of these methods, whether the route reads one or not
    applies: (op, _, method) =>
      op.requestBody !== undefined || BODY_CHECKED_METHODS.has(method.toUpperCase()),
  },
  {
    status: '429',
    description: 'Too many requests (the gateway limits device logins and credentials)',
    applies: (_, path) => /\/v\d+\/auth\//.test(path),
  },
  {
    status: '503',
    description: 'A dependency is down or stuck (POSTGRES_UNAVAILABLE, REDIS_UNAVAILABLE, ...)',
    applies: () => true,
  },
];

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);

/**
 * U+0000 is refused in every JSON string and URL (request-input.ts: Postgres text cannot hold
 * it). A plain string says so with this pattern; one with a pattern of its own that admits U+0000
 * gets `not: {pattern: "\\u0000"}` next to it.
 */
export const NUL_FREE_PATTERN = '^[^\\u0000]*$';
const NUL_PROBES = ['\u0000', 'a\u0000', '\u0000a', 'a\u0000a', 'a a\u0000a a'];

/**
 * Makes the generated document say what the runtime enforces, for every service at once:
 * request bodies refuse unknown fields (the ValidationPipe's `forbidNonWhitelisted`), so their
 * schemas get `additionalProperties: false`, down through nested DTOs; their strings and those of
 * query and path parameters refuse U+0000 ({@link NUL_FREE_PATTERN}); a body whose schema
 * requires no field is optional; and every operation declares the standard error answers with the
 * shared {@link ERROR_BODY_SCHEMA}.
 */
export function strictOpenApi(document: OpenAPIObject): OpenAPIObject {
  const schemas = (document.components ??= {}).schemas ?? {};
  document.components.schemas = schemas;
  schemas[ERROR_BODY_SCHEMA] = ERROR_BODY;
  const closed = new Set<string>();
  const nulFree = new Set<string>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, value] of Object.entries(item)) {
      if (!HTTP_METHODS.has(method)) continue;
      const operation = value as Operation;
      forEachRef(operation.requestBody, (name) => closeSchema(schemas, name, closed));
      refuseNulIn(jsonBodySchemaOf(operation), schemas, nulFree);
      for (const parameter of operation.parameters ?? []) {
        if (parameter.in === 'query' || parameter.in === 'path') {
          refuseNulIn(parameter.schema, schemas, nulFree);
        }
      }
      markOptionalBody(operation, schemas);
      // @IsOptional documents null as accepted (validation-openapi.ts); a parameter has no null
      for (const parameter of operation.parameters ?? []) delete parameter.schema?.['nullable'];
      const responses = (operation.responses ??= {});
      for (const error of STANDARD_ERRORS) {
        if (error.applies(operation, path, method) && !responses[error.status]) {
          responses[error.status] = { description: error.description };
        }
      }
      for (const [status, response] of Object.entries(responses)) {
        if (Number(status) >= 400 && response['content'] === undefined) {
          response['content'] = {
            'application/json': { schema: { $ref: `#/components/schemas/${ERROR_BODY_SCHEMA}` } },
          };
        }
      }
    }
  }
  pruneUnreferenced(document, schemas);
  return document;
}

/**
 * Keeps only the schemas the paths reach: payload classes of RPC handlers (which the explorer also
 * collects, with no properties) are not part of the HTTP API.
 */
function pruneUnreferenced(document: OpenAPIObject, schemas: Record<string, unknown>): void {
  const reached = new Set<string>();
  const reach = (name: string): void => {
    if (reached.has(name)) return;
    reached.add(name);
    forEachRef(schemas[name], reach);
  };
  forEachRef(document.paths, reach);
  for (const name of Object.keys(schemas)) if (!reached.has(name)) delete schemas[name];
}

/**
 * A request without a body reaches the ValidationPipe as `{}`: where the body's schema requires no
 * field that is a valid request, so the document must not call the body required.
 */
function markOptionalBody(operation: Operation, schemas: Record<string, unknown>): void {
  const body = operation.requestBody as
    { required?: boolean; content?: Record<string, { schema?: { $ref?: unknown } }> } | undefined;
  const reference = body?.content?.['application/json']?.schema?.$ref;
  if (!body || typeof reference !== 'string') return;
  const schema = schemas[reference.slice(reference.lastIndexOf('/') + 1)] as Schema | undefined;
  const required = schema?.['required'];
  if (schema && !(Array.isArray(required) && required.length > 0)) body.required = false;
}

/** `additionalProperties: false` on a request schema and every schema it refers to. */
function closeSchema(schemas: Record<string, unknown>, name: string, closed: Set<string>): void {
  const schema = schemas[name];
  if (closed.has(name) || typeof schema !== 'object' || schema === null) return;
  closed.add(name);
  const object = schema as Schema;
  if (object['type'] === 'object' || object['properties'] !== undefined) {
    object['additionalProperties'] = false;
  }
  forEachRef(object['properties'], (nested) => closeSchema(schemas, nested, closed));
}

function jsonBodySchemaOf(operation: Operation): unknown {
  const body = operation.requestBody as
    { content?: Record<string, { schema?: unknown }> } | undefined;
  return body?.content?.['application/json']?.schema;
}

function admitsNul(pattern: string): boolean {
  const regex = new RegExp(pattern);
  return NUL_PROBES.some((probe) => regex.test(probe));
}

/**
 * States on every string below `schema` (properties, items, variants, referenced components)
 * that U+0000 is refused. Strings with a format (uuid, date-time, byte, binary) or an enum cannot
 * hold it in the first place.
 */
function refuseNulIn(
  schema: unknown,
  schemas: Record<string, unknown>,
  visited: Set<string>,
): void {
  if (Array.isArray(schema)) {
    schema.forEach((item) => refuseNulIn(item, schemas, visited));
    return;
  }
  if (typeof schema !== 'object' || schema === null) return;
  const node = schema as Schema;
  const reference = node['$ref'];
  if (typeof reference === 'string') {
    const name = reference.slice(reference.lastIndexOf('/') + 1);
    if (visited.has(name)) return;
    visited.add(name);
    refuseNulIn(schemas[name], schemas, visited);
    return;
  }
  if (node['type'] === 'string' && node['format'] === undefined && node['enum'] === undefined) {
    const pattern = node['pattern'];
    if (typeof pattern !== 'string') node['pattern'] = NUL_FREE_PATTERN;
    else if (admitsNul(pattern)) node['not'] = { pattern: '\\u0000' };
  }
  const properties = node['properties'];
  if (typeof properties === 'object' && properties !== null) {
    refuseNulIn(Object.values(properties), schemas, visited);
  }
  for (const key of ['items', 'oneOf', 'anyOf', 'allOf', 'additionalProperties']) {
    refuseNulIn(node[key], schemas, visited);
  }
}

/** Calls `visit` with the component name of every `$ref` below `value`. */
function forEachRef(value: unknown, visit: (name: string) => void): void {
  if (Array.isArray(value)) {
    value.forEach((item) => forEachRef(item, visit));
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [key, item] of Object.entries(value)) {
    if (key === '$ref' && typeof item === 'string') {
      visit(item.slice(item.lastIndexOf('/') + 1));
    } else {
      forEachRef(item, visit);
    }
  }
}
