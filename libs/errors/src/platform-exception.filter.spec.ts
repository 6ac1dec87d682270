import { type ArgumentsHost, BadRequestException, ForbiddenException } from '@nestjs/common';
import { lastValueFrom, type Observable } from 'rxjs';
import { DomainError, type RpcErrorPayload } from './domain-error';
import { PlatformExceptionFilter } from './platform-exception.filter';

const rpcHost = {
  getType: () => 'rpc',
  switchToRpc: () => ({ getContext: () => 'store.stores.byIds' }),
} as unknown as ArgumentsHost;

async function onTheWire(thrown: unknown): Promise<RpcErrorPayload> {
  const filter = new PlatformExceptionFilter();
  jest.spyOn(filter['logger'], 'error').mockImplementation(() => undefined);
  const answer = filter.catch(thrown, rpcHost) as Observable<never>;
  return lastValueFrom(answer).then(
    () => {
      throw new Error('expected an error on the wire');
    },
    (payload: RpcErrorPayload) => payload,
  );
}

describe('PlatformExceptionFilter on the RPC edge', () => {
  it.each<[string, unknown, Partial<RpcErrorPayload>]>([
    [
      'a domain error, as thrown',
      new DomainError('not_found', 'STORE_NOT_FOUND', 'Store not found'),
      { kind: 'not_found', code: 'STORE_NOT_FOUND', message: 'Store not found' },
    ],
    [
      "the validation pipe's refusal, as invalid input",
      new BadRequestException(['ids must be an array', 'ids must contain at least 1 elements']),
      {
        kind: 'invalid_input',
        code: 'VALIDATION_FAILED',
        message: 'ids must be an array; ids must contain at least 1 elements',
      },
    ],
    [
      "a guard's refusal, as forbidden",
      new ForbiddenException(),
      { kind: 'forbidden', code: 'FORBIDDEN' },
    ],
    [
      'a database that went away, named',
      new Error('Connection terminated unexpectedly'),
      { kind: 'unavailable', code: 'POSTGRES_UNAVAILABLE' },
    ],
    [
      'anything else, without its message',
      new TypeError('secret internals'),
      { kind: 'internal', code: 'INTERNAL', message: 'Internal error' },
    ],
  ])('%s', async (_name, thrown, expected) => {
    await expect(onTheWire(thrown)).resolves.toMatchObject(expected);
  });
});
