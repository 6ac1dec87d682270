import { createServer, type Socket } from 'node:net';
import Redis from 'ioredis';
import { REDIS_DEADLINES, redisConnectionOptions, redisTransportOptions } from './redis-transport';

const config = { host: '127.0.0.1', port: 6379, password: 'secret' };

describe('Redis connection options', () => {
  it('give every client a connect and a command deadline', () => {
    expect(redisConnectionOptions(config)).toMatchObject({
      host: '127.0.0.1',
      port: 6379,
      password: 'secret',
      connectTimeout: REDIS_DEADLINES.connectMs,
      commandTimeout: REDIS_DEADLINES.commandMs,
      maxRetriesPerRequest: 1,
    });
  });

  it('give the RPC transport the same deadlines', () => {
    expect(redisTransportOptions(config).options).toMatchObject({
      connectTimeout: REDIS_DEADLINES.connectMs,
      commandTimeout: REDIS_DEADLINES.commandMs,
      maxRetriesPerRequest: 1,
    });
  });

  it('leave out an unset password', () => {
    expect(redisConnectionOptions({ ...config, password: undefined })).not.toHaveProperty(
      'password',
    );
  });

  it('make a command to a Redis that never answers fail at its deadline', async () => {
    const sockets = new Set<Socket>();
    const stuck = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => stuck.listen(0, '127.0.0.1', resolve));
    const address = stuck.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    const redis = new Redis({
      ...redisConnectionOptions({ host: '127.0.0.1', port: address.port, password: undefined }),
      enableReadyCheck: false,
    });
    const started = performance.now();
    const error = await redis.get('k').catch((e: unknown) => e);
    const elapsed = performance.now() - started;
    redis.disconnect();
    sockets.forEach((socket) => socket.destroy());
    await new Promise<void>((resolve) => stuck.close(() => resolve()));
    expect(error).toMatchObject({ message: 'Command timed out' });
    expect(elapsed).toBeGreaterThanOrEqual(REDIS_DEADLINES.commandMs - 50);
    expect(elapsed).toBeLessThan(REDIS_DEADLINES.commandMs + 1000);
  });
});
