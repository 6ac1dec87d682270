import { BadRequestException, NotFoundException, type ArgumentsHost } from '@nestjs/common';
import { DomainError } from './domain-error';
import { HttpErrorFilter } from './http-error.filter';
import { RateLimitedError } from './rate-limited.error';

interface Captured {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

function run(exception: unknown, headers: Record<string, string> = {}): Captured {
  const captured: Captured = { status: 0, body: {}, headers: {} };
  const response = {
    headersSent: false,
    setHeader(name: string, value: string) {
      captured.headers[name] = value;
    },
    status(code: number) {
      captured.status = code;
      return this;
    },
    type(contentType: string) {
      captured.headers['content-type'] = contentType;
      return this;
    },
    json(body: Record<string, unknown>) {
      captured.body = body;
    },
  };
  const host = {
    switchToHttp: () => ({
      getRequest: () => ({ id: 'req-1', url: '/x', headers }),
      getResponse: () => response,
    }),
  } as unknown as ArgumentsHost;
  new HttpErrorFilter().catch(exception, host);
  return captured;
}

describe('HttpErrorFilter', () => {
  it.each([
    [
      new DomainError('not_found', 'USER_NOT_FOUND', 'User not found'),
      404,
      'USER_NOT_FOUND',
      'User not found',
    ],
    [
      new DomainError('conflict', 'TICKET_ALREADY_USED', 'Ticket already used'),
      409,
      'TICKET_ALREADY_USED',
      'Ticket already used',
    ],
    [
      new DomainError('timeout', 'RPC_TIMEOUT', 'store did not answer'),
      504,
      'RPC_TIMEOUT',
      'store did not answer',
    ],
    [
      new BadRequestException(['name must be a string', 'size must be positive']),
      400,
      'VALIDATION_FAILED',
      'name must be a string; size must be positive',
    ],
    [new NotFoundException('Cannot GET /nope'), 404, 'NOT_FOUND', 'Cannot GET /nope'],
    [
      new Error('Command timed out'),
      503,
      'REDIS_UNAVAILABLE',
      'The session store (Redis) is unavailable, try again later',
    ],
  ])('maps %p to %i %s', (exception, status, code, message) => {
    const { status: actualStatus, body } = run(exception);
    expect(actualStatus).toBe(status);
    expect(body).toEqual({
      statusCode: status,
      code,
      message,
      requestId: 'req-1',
      detail: message,
    });
  });

  it('hides the message and stack of unknown errors', () => {
    const { status, body } = run(new TypeError('secret internal detail'));
    expect(status).toBe(500);
    expect(body).toEqual({
      statusCode: 500,
      code: 'INTERNAL',
      message: 'Internal server error',
      requestId: 'req-1',
      detail: 'Internal server error',
    });
  });

  it('passes domain error details through', () => {
    const { body } = run(
      new DomainError('invalid_input', 'WRONG_WAGON', 'Invalid wagon number', { rightWagon: 3 }),
    );
    expect(body['details']).toEqual({ rightWagon: 3 });
  });

  it("answers the seed's detail object where the error brings one", () => {
    const detail = { message: 'Invalid wagon number', right_ticket: { id: 't-1' } };
    const { body } = run(
      new DomainError('invalid_input', 'WRONG_WAGON', 'Invalid wagon number', undefined, {
        detail,
      }),
    );
    expect(body).toMatchObject({ code: 'WRONG_WAGON', message: 'Invalid wagon number', detail });
  });

  it('sets Retry-After from a rate-limited error, and only then', () => {
    const limited = run(new RateLimitedError(42));
    expect([limited.status, limited.headers]).toEqual([
      429,
      { 'Retry-After': '42', 'content-type': 'application/json' },
    ]);
    expect(limited.body).toMatchObject({
      code: 'RATE_LIMITED',
      details: { retryAfterSeconds: 42 },
    });
    expect(run(new DomainError('rate_limited', 'RATE_LIMITED', 'slow down')).headers).toEqual({
      'content-type': 'application/json',
    });
  });

  it('answers JSON even on a route that set another content type for its success', () => {
    expect(
      run(new BadRequestException(['entity must be one of order, trip, cell'])).headers,
    ).toEqual({ 'content-type': 'application/json' });
  });

  it('challenges for a Bearer token on a 401, naming an invalid one only when one was sent', () => {
    const refused = new DomainError('unauthenticated', 'INVALID_TOKEN', 'no');
    expect(run(refused).headers['WWW-Authenticate']).toBe('Bearer');
    expect(run(refused, { authorization: 'Basic YTpi' }).headers['WWW-Authenticate']).toBe(
      'Bearer',
    );
    expect(run(refused, { authorization: 'bearer abc' }).headers['WWW-Authenticate']).toBe(
      'Bearer error="invalid_token"',
    );
    const forbidden = new DomainError('forbidden', 'INSUFFICIENT_ROLE', 'no');
    expect(run(forbidden, { authorization: 'Bearer abc' }).headers).not.toHaveProperty(
      'WWW-Authenticate',
    );
  });
});
