import { BadRequestException, NotFoundException, type ArgumentsHost } from '@nestjs/common';
import { DomainError } from './domain-error';
import { HttpErrorFilter } from './http-error.filter';

function run(exception: unknown): { status: number; body: Record<string, unknown> } {
  const captured = { status: 0, body: {} as Record<string, unknown> };
  const response = {
    headersSent: false,
    status(code: number) {
      captured.status = code;
      return this;
    },
    json(body: Record<string, unknown>) {
      captured.body = body;
    },
  };
  const host = {
    switchToHttp: () => ({
      getRequest: () => ({ id: 'req-1', url: '/x' }),
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
      Object.assign(new Error('Unexpected token'), { status: 400, type: 'entity.parse.failed' }),
      400,
      'MALFORMED_BODY',
      'Request body is not valid JSON',
    ],
    [
      Object.assign(new Error('too large'), { status: 413, type: 'entity.too.large' }),
      413,
      'PAYLOAD_TOO_LARGE',
      'Request body is too large',
    ],
    [
      new Error('Command timed out'),
      503,
      'REDIS_UNAVAILABLE',
      'The session store (Redis) is unavailable, try again later',
    ],
  ])('maps %p to %i %s', (exception, status, code, message) => {
    const { status: actualStatus, body } = run(exception);
    expect(actualStatus).toBe(status);
    expect(body).toEqual({ statusCode: status, code, message, requestId: 'req-1' });
  });

  it('hides the message and stack of unknown errors', () => {
    const { status, body } = run(new TypeError('secret internal detail'));
    expect(status).toBe(500);
    expect(body).toEqual({
      statusCode: 500,
      code: 'INTERNAL',
      message: 'Internal server error',
      requestId: 'req-1',
    });
  });

  it('passes domain error details through', () => {
    const { body } = run(
      new DomainError('invalid_input', 'WRONG_WAGON', 'Invalid wagon number', { rightWagon: 3 }),
    );
    expect(body['details']).toEqual({ rightWagon: 3 });
  });
});
