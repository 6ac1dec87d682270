import { type RpcClient } from '@platform/messaging';
import { BaseUsersClient, KNOWN_USER_TTL_MS } from './base-users.client';

const USER = '6f1c2a4e-8d5b-4c3f-9a1e-2b7d8c9e0f1a';

function clientAnswering(exists: boolean) {
  const asked: unknown[] = [];
  const rpc = {
    send: async (_pattern: string, request: unknown) => {
      asked.push(request);
      return { exists };
    },
  } as unknown as RpcClient;
  return { users: new BaseUsersClient(rpc), asked };
}

describe('BaseUsersClient', () => {
  it('asks base once for a known passenger within the TTL, again after it', async () => {
    const { users, asked } = clientAnswering(true);
    await expect(users.exists(USER, 0)).resolves.toBe(true);
    await expect(users.exists(USER, KNOWN_USER_TTL_MS - 1)).resolves.toBe(true);
    expect(asked).toHaveLength(1);
    await expect(users.exists(USER, KNOWN_USER_TTL_MS)).resolves.toBe(true);
    expect(asked).toEqual([{ userId: USER }, { userId: USER }]);
  });

  it('never remembers an unknown passenger: a user created a moment later can buy', async () => {
    const { users, asked } = clientAnswering(false);
    await expect(users.exists(USER, 0)).resolves.toBe(false);
    await expect(users.exists(USER, 1)).resolves.toBe(false);
    expect(asked).toHaveLength(2);
  });
});
