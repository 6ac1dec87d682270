import { type OpenAPIObject } from '@nestjs/swagger';
import { ERROR_BODY_SCHEMA, NUL_FREE_PATTERN, strictOpenApi } from './strict-openapi';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object) => ({ description: '', content: { 'application/json': { schema } } });

function documentWith(paths: OpenAPIObject['paths']): OpenAPIObject {
  return {
    openapi: '3.0.0',
    info: { title: 't', version: '1' },
    paths,
    components: {
      schemas: {
        SeatDto: { type: 'object', properties: { place: { type: 'integer' } } },
        BookingDto: {
          type: 'object',
          properties: {
            seats: { type: 'array', items: ref('SeatDto') },
            note: { type: 'object' },
            name: { type: 'string' },
            login: { type: 'string', pattern: '^\\S(.*\\S)?$' },
            pin: { type: 'string', pattern: '^[0-9]{6}$' },
            at: { type: 'string', format: 'date-time' },
            kind: { type: 'string', enum: ['a', 'b'] },
            tags: { type: 'array', items: { type: 'string' } },
          },
        },
        BookingView: { type: 'object', properties: { id: { type: 'string' } } },
        NoteDto: {
          type: 'object',
          required: ['text'],
          properties: { text: { type: 'string' } },
        },
        // An RPC handler's payload class, which no HTTP path uses.
        BookingRpcRequest: { type: 'object', properties: {} },
      },
    },
  };
}

describe('strictOpenApi', () => {
  const document = strictOpenApi(
    documentWith({
      '/x_api/v1/bookings/{booking_id}': {
        put: {
          parameters: [
            { in: 'path', name: 'booking_id', required: true, schema: { type: 'string' } },
            {
              in: 'query',
              name: 'note',
              required: false,
              schema: { type: 'string', nullable: true },
            },
          ],
          requestBody: json(ref('BookingDto')),
          responses: { '200': json(ref('BookingView')), '409': { description: 'TAKEN' } },
          security: [{ keycloak: [] }],
        },
      },
      '/x_api/health': { get: { responses: { '200': { description: 'up' } } } },
      '/x_api/v1/notes': {
        post: {
          requestBody: { ...json(ref('NoteDto')), required: true },
          responses: { '201': { description: 'made' } },
        },
      },
      '/x_api/v1/auth/robot/login': {
        post: {
          requestBody: { ...json(ref('SeatDto')), required: true },
          responses: { '200': { description: 'ok' } },
        },
      },
    }),
  );
  const schemas = document.components?.schemas ?? {};

  it('keeps the schemas the paths reach (also through other schemas), no others', () => {
    expect(Object.keys(schemas).sort()).toEqual(
      ['BookingDto', 'BookingView', ERROR_BODY_SCHEMA, 'NoteDto', 'SeatDto'].sort(),
    );
  });

  it('closes request bodies and the schemas they nest, not responses or free-form objects', () => {
    expect(schemas['BookingDto']).toMatchObject({ additionalProperties: false });
    expect(schemas['SeatDto']).toMatchObject({ additionalProperties: false });
    expect(schemas['BookingView']).not.toHaveProperty('additionalProperties');
    expect(JSON.stringify(schemas['BookingDto'])).toContain('"note":{"type":"object"}');
  });

  it('says on every string of a request that U+0000 is refused, as the runtime does', () => {
    const properties = (schemas['BookingDto'] as { properties: Record<string, object> }).properties;
    expect(properties['name']).toEqual({ type: 'string', pattern: NUL_FREE_PATTERN });
    expect(properties['tags']).toEqual({
      type: 'array',
      items: { type: 'string', pattern: NUL_FREE_PATTERN },
    });
    // a pattern of its own that admits U+0000 keeps it, and excludes U+0000 beside it
    expect(properties['login']).toEqual({
      type: 'string',
      pattern: '^\\S(.*\\S)?$',
      not: { pattern: '\\u0000' },
    });
    expect(properties['pin']).toEqual({ type: 'string', pattern: '^[0-9]{6}$' });
    expect(properties['at']).toEqual({ type: 'string', format: 'date-time' });
    expect(properties['kind']).toEqual({ type: 'string', enum: ['a', 'b'] });
    const put = document.paths['/x_api/v1/bookings/{booking_id}']?.put;
    expect(put?.parameters?.map((parameter) => (parameter as { schema: object }).schema)).toEqual([
      { type: 'string', pattern: NUL_FREE_PATTERN },
      { type: 'string', pattern: NUL_FREE_PATTERN },
    ]);
    expect(schemas['BookingView']).toEqual({
      type: 'object',
      properties: { id: { type: 'string' } },
    });
    expect(new RegExp(NUL_FREE_PATTERN).test('a\u0000b')).toBe(false);
    expect(new RegExp(NUL_FREE_PATTERN).test('Café 😀')).toBe(true);
  });

  it('calls a body required only when its schema requires a field (no body reads as {})', () => {
    const bodyOf = (path: string) =>
      (document.paths[path]?.post?.requestBody as { required?: boolean }).required;
    expect(bodyOf('/x_api/v1/notes')).toBe(true);
    expect(bodyOf('/x_api/v1/auth/robot/login')).toBe(false);
  });

  it('drops nullable from parameters, which a query string cannot make null', () => {
    const put = document.paths['/x_api/v1/bookings/{booking_id}']?.put;
    expect(put?.parameters?.[1]).toMatchObject({ schema: { type: 'string' } });
    expect(JSON.stringify(put?.parameters)).not.toContain('nullable');
  });

  it('declares the standard errors by what the operation has', () => {
    const put = document.paths['/x_api/v1/bookings/{booking_id}']?.put?.responses ?? {};
    expect(Object.keys(put).sort()).toEqual([
      '200',
      '400',
      '401',
      '404',
      '409',
      '413',
      '415',
      '503',
    ]);
    const health = document.paths['/x_api/health']?.get?.responses ?? {};
    expect(Object.keys(health).sort()).toEqual(['200', '400', '503']);
    const login = document.paths['/x_api/v1/auth/robot/login']?.post?.responses ?? {};
    expect(Object.keys(login)).toContain('429');
    expect(Object.keys(login)).not.toContain('401');
  });

  it('gives every error answer the shared error body, keeping its description', () => {
    const conflict = document.paths['/x_api/v1/bookings/{booking_id}']?.put?.responses['409'];
    expect(conflict).toEqual({ ...json(ref(ERROR_BODY_SCHEMA)), description: 'TAKEN' });
    expect(schemas[ERROR_BODY_SCHEMA]).toMatchObject({
      required: ['statusCode', 'code', 'message', 'requestId'],
      properties: {
        detail: { oneOf: [{ type: 'string' }, { type: 'object', additionalProperties: true }] },
      },
    });
  });
});
