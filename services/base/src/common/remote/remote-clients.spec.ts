import 'reflect-metadata';
import { STORE_PATTERNS } from '@platform/contracts';
import { DomainError } from '@platform/errors';
import { type RpcClient } from '@platform/messaging';
import { FACE_RPC_TIMEOUT_MS, FaceClient } from './face.client';
import { StoreDirectoryClient } from './store-directory.client';
import { failureOf } from '@platform/testing';

function rpcThat(send: jest.Mock): RpcClient {
  return { send } as unknown as RpcClient;
}

describe('FaceClient', () => {
  it.each([
    new DomainError('timeout', 'RPC_TIMEOUT', 'No reply to face.identify within 5000 ms'),
    new DomainError('unavailable', 'RPC_FAILED', 'Call to face.identify failed'),
  ])('answers 503 FACE_SERVICE_UNAVAILABLE when face is silent (%p)', async (rpcError) => {
    const client = new FaceClient(rpcThat(jest.fn().mockRejectedValue(rpcError)));
    const error = await failureOf(client.identify('aGVsbG8='));
    expect([error.kind, error.code]).toEqual(['unavailable', 'FACE_SERVICE_UNAVAILABLE']);
  });

  it('passes the face service own errors through', async () => {
    const remote = new DomainError('unprocessable', 'NO_FACE', 'No face on the image');
    const client = new FaceClient(rpcThat(jest.fn().mockRejectedValue(remote)));
    expect(await failureOf(client.identify('aGVsbG8='))).toBe(remote);
  });

  it('passes FACE_NOT_MATCHED on without how close the nearest face came', async () => {
    const remote = new DomainError('not_found', 'FACE_NOT_MATCHED', 'No matching face', {
      similarity: 0.8623,
      threshold: 0.93,
    });
    const client = new FaceClient(rpcThat(jest.fn().mockRejectedValue(remote)));
    const error = await failureOf(client.identify('aGVsbG8='));
    expect([error.kind, error.code, error.message, error.details]).toEqual([
      'not_found',
      'FACE_NOT_MATCHED',
      'No matching face',
      undefined,
    ]);
  });

  it('asks with a bounded deadline and returns the user id', async () => {
    const send = jest.fn().mockResolvedValue({ userId: 'u-1' });
    const userId = await new FaceClient(rpcThat(send)).identify('aGVsbG8=');
    expect(userId).toBe('u-1');
    expect(send).toHaveBeenCalledWith(
      'face.identify',
      { image: 'aGVsbG8=' },
      expect.objectContaining({ timeoutMs: FACE_RPC_TIMEOUT_MS }),
    );
  });
});

describe('StoreDirectoryClient', () => {
  it('does not call the store service for an empty list', async () => {
    const send = jest.fn();
    expect(await new StoreDirectoryClient(rpcThat(send)).storesByIds([])).toEqual([]);
    expect(send).not.toHaveBeenCalled();
  });

  it('asks for at most 50 ids', async () => {
    const send = jest.fn().mockResolvedValue({ stores: [] });
    const ids = Array.from({ length: 60 }, (_, i) => `id-${i}`);
    await new StoreDirectoryClient(rpcThat(send)).storesByIds(ids);
    expect(send).toHaveBeenCalledWith(
      STORE_PATTERNS.storesByIds,
      { ids: ids.slice(0, 50) },
      expect.anything(),
    );
  });

  it('answers 503 STORE_SERVICE_UNAVAILABLE when store is silent', async () => {
    const send = jest.fn().mockRejectedValue(new DomainError('timeout', 'RPC_TIMEOUT', 'No reply'));
    const error = await failureOf(new StoreDirectoryClient(rpcThat(send)).storesByIds(['a']));
    expect([error.kind, error.code]).toEqual(['unavailable', 'STORE_SERVICE_UNAVAILABLE']);
  });
});
