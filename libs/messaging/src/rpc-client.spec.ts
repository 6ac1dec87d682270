import { type ClientProxy } from '@nestjs/microservices';
import { PlatformConfig } from '@platform/config';
import { DomainError } from '@platform/errors';
import { IsString } from 'class-validator';
import { BehaviorSubject, NEVER, type Observable, of, throwError } from 'rxjs';
import { RpcClient } from './rpc-client';

class Pong {
  @IsString()
  answer!: string;
}

function clientWith(
  reply: (pattern: string, data: unknown) => Observable<unknown>,
  status?: Observable<string>,
): RpcClient {
  const proxy = { send: reply, close: jest.fn(), status } as unknown as ClientProxy;
  const config = { rpcTimeoutMs: 50 } as PlatformConfig;
  return new RpcClient(proxy, config);
}

async function errorOf(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

describe('RpcClient', () => {
  it('returns a validated reply', async () => {
    const client = clientWith(() => of({ answer: 'pong' }));
    await expect(client.send('x.ping', {}, { responseType: Pong })).resolves.toEqual({
      answer: 'pong',
    });
  });

  it('turns silence into a timeout error instead of hanging', async () => {
    const error = await errorOf(
      clientWith(() => NEVER).send('store.system.status', {}, { timeoutMs: 20 }),
    );
    expect(error.kind).toBe('timeout');
    expect(error.code).toBe('RPC_TIMEOUT');
  });

  it('rethrows a remote domain error with its kind and code', async () => {
    const remote = { kind: 'not_found', code: 'STORE_NOT_FOUND', message: 'Store not found' };
    const error = await errorOf(
      clientWith(() => throwError(() => remote)).send('store.stores.byIds', {}),
    );
    expect([error.kind, error.code, error.message]).toEqual([
      'not_found',
      'STORE_NOT_FOUND',
      'Store not found',
    ]);
  });

  it("keeps a remote error's seed detail object and defaults a missing one to the message", async () => {
    const detail = { message: 'Invalid date', right_ticket: { id: 't-1' } };
    const remote = { kind: 'invalid_input', code: 'WRONG_DATE', message: 'Invalid date', detail };
    const withObject = await errorOf(clientWith(() => throwError(() => remote)).send('x.y', {}));
    expect(withObject.detail).toEqual(detail);
    const plain = { kind: 'not_found', code: 'STORE_NOT_FOUND', message: 'Store not found' };
    const withMessage = await errorOf(clientWith(() => throwError(() => plain)).send('x.y', {}));
    expect(withMessage.detail).toBe('Store not found');
  });

  it('reports an unrecognised failure as unavailable', async () => {
    const error = await errorOf(
      clientWith(() => throwError(() => new Error('ECONNREFUSED'))).send('x.y', {}),
    );
    expect([error.kind, error.code]).toEqual(['unavailable', 'RPC_FAILED']);
  });

  it('names Redis for any failure while the transport reports it lost Redis, the peer otherwise', async () => {
    const status = new BehaviorSubject('connected');
    const client = clientWith(
      () => throwError(() => 'Error: Connection lost. Trying to reconnect...'),
      status,
    );
    expect((await errorOf(client.send('x.y', {}))).code).toBe('RPC_FAILED');
    status.next('reconnecting');
    expect((await errorOf(client.send('x.y', {}))).code).toBe('REDIS_UNAVAILABLE');
    const silent = clientWith(() => NEVER, status);
    expect((await errorOf(silent.send('x.y', {}))).code).toBe('REDIS_UNAVAILABLE');
    status.next('connected');
    expect((await errorOf(silent.send('x.y', {}))).code).toBe('RPC_TIMEOUT');
  });

  it.each(['Command timed out', 'Reached the max retries per request limit (which is 1).'])(
    'names Redis when the transport fails (ioredis: %s)',
    async (message) => {
      const error = await errorOf(
        clientWith(() => throwError(() => new Error(message))).send('x.y', {}),
      );
      expect([error.kind, error.code]).toEqual(['unavailable', 'REDIS_UNAVAILABLE']);
    },
  );

  it('rejects a reply that does not match the contract', async () => {
    const error = await errorOf(
      clientWith(() => of({ answer: 42 })).send('x.ping', {}, { responseType: Pong }),
    );
    expect(error.code).toBe('RPC_BAD_REPLY');
  });

  describe('emit', () => {
    function emitterWith(publish: () => Observable<unknown>): RpcClient {
      const proxy = { emit: publish, close: jest.fn() } as unknown as ClientProxy;
      return new RpcClient(proxy, { rpcTimeoutMs: 50 } as PlatformConfig);
    }

    it('resolves once the event is published', async () => {
      await expect(emitterWith(() => of(1)).emit('store.task.ready', {})).resolves.toBeUndefined();
    });

    it('turns a publish that never completes into a timeout error', async () => {
      const error = await errorOf(emitterWith(() => NEVER).emit('store.task.ready', {}));
      expect([error.kind, error.code]).toEqual(['timeout', 'RPC_TIMEOUT']);
    });

    it('reports a failed publish as unavailable', async () => {
      const error = await errorOf(
        emitterWith(() => throwError(() => new Error('Connection is closed'))).emit('e.x', {}),
      );
      expect(error.kind).toBe('unavailable');
    });
  });
});
