import { DomainError } from '@platform/errors';
import { callRemote, remoteUnavailableCode } from './remote-call';

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => null,
    (caught: unknown) => caught,
  );
}

describe('callRemote', () => {
  it.each([
    new DomainError('timeout', 'RPC_TIMEOUT', 'No reply within 5000 ms'),
    new DomainError('unavailable', 'RPC_FAILED', 'Call failed'),
  ])('turns a silent service (%p) into a 503 naming it', async (silence) => {
    const error = await rejectionOf(callRemote('delivery-fsm', () => Promise.reject(silence)));
    expect(error).toBeInstanceOf(DomainError);
    expect([(error as DomainError).kind, (error as DomainError).code]).toEqual([
      'unavailable',
      'DELIVERY_FSM_SERVICE_UNAVAILABLE',
    ]);
    expect((error as DomainError).message).toBe(
      'The delivery-fsm service is unavailable, try again later',
    );
  });

  it.each([
    new DomainError('not_found', 'FACE_NOT_MATCHED', 'No matching face'),
    new DomainError('internal', 'RPC_BAD_REPLY', 'Malformed reply'),
    new DomainError('unavailable', 'REDIS_UNAVAILABLE', 'The RPC transport (Redis) is unavailable'),
    new TypeError('bug'),
  ])('passes an answer that is an error, or a failed transport, through (%p)', async (answer) => {
    expect(await rejectionOf(callRemote('face', () => Promise.reject(answer)))).toBe(answer);
  });

  it('returns the answer', async () => {
    await expect(callRemote('store', () => Promise.resolve(42))).resolves.toBe(42);
  });

  it.each([
    ['face', 'FACE_SERVICE_UNAVAILABLE'],
    ['store', 'STORE_SERVICE_UNAVAILABLE'],
    ['telematics-ingest', 'TELEMATICS_INGEST_SERVICE_UNAVAILABLE'],
  ])('names %s as %s', (service, code) => {
    expect(remoteUnavailableCode(service)).toBe(code);
  });
});
