import { createServer, type Server, type Socket } from 'node:net';
import Redis, { ReplyError } from 'ioredis';
import { DatabaseError, Pool } from 'pg';
import { QueryFailedError } from 'typeorm';
import { DomainError } from './domain-error';
import { dependencyFailureOf, POSTGRES_UNAVAILABLE, REDIS_UNAVAILABLE } from './dependency-failure';

function databaseError(code: string, message: string): DatabaseError {
  return Object.assign(new DatabaseError(message, 0, 'error'), { code });
}

function queryFailed(driverError: Error): QueryFailedError {
  return new QueryFailedError('SELECT 1', [], driverError);
}

function codeOf(error: unknown): string | null {
  return dependencyFailureOf(error)?.code ?? null;
}

/** A TCP server that accepts connections and never says a word: a stuck dependency. */
async function silentServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        sockets.forEach((socket) => socket.destroy());
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on: a stopped dependency. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('dependencyFailureOf', () => {
  it.each([
    ['statement_timeout', queryFailed(databaseError('57014', 'canceling statement'))],
    ['admin shutdown', queryFailed(databaseError('57P01', 'terminating connection'))],
    ['starting up (on connect)', databaseError('57P03', 'the database system is starting up')],
    ['too many connections', databaseError('53300', 'too many clients')],
    ['lock_timeout', queryFailed(databaseError('55P03', 'could not obtain lock'))],
    ['connection exception', queryFailed(databaseError('08006', 'connection failure'))],
    ['client read timeout', queryFailed(new Error('Query read timeout'))],
    ['dropped mid-query', queryFailed(new Error('Connection terminated unexpectedly'))],
    ['pool acquisition', new Error('timeout exceeded when trying to connect')],
  ])('names Postgres for %s', (_, error) => {
    expect(codeOf(error)).toBe(POSTGRES_UNAVAILABLE);
  });

  it.each([
    ['command timeout', new Error('Command timed out')],
    ['closed connection', new Error('Connection is closed.')],
    [
      'offline queue off',
      new Error("Stream isn't writeable and enableOfflineQueue options is false"),
    ],
    ['loading', new ReplyError('LOADING Redis is loading the dataset in memory')],
    ['busy script', new ReplyError('BUSY Redis is busy running a script')],
  ])('names Redis for %s', (_, error) => {
    expect(codeOf(error)).toBe(REDIS_UNAVAILABLE);
  });

  it.each([
    ['a unique violation', queryFailed(databaseError('23505', 'duplicate key'))],
    ['a syntax error', queryFailed(databaseError('42601', 'syntax error'))],
    ['a text the database cannot store', queryFailed(databaseError('22021', 'invalid byte'))],
    ['a wrong Redis command', new ReplyError('ERR unknown command')],
    ['a domain error', new DomainError('unavailable', 'FACE_UNAVAILABLE', 'face is down')],
    ['a plain bug', new TypeError('x is undefined')],
    ['a socket error without a syscall', Object.assign(new Error('x'), { code: 'ECONNREFUSED' })],
    ['a string', 'Command timed out'],
    ['nothing', undefined],
  ])('leaves %s alone', (_, error) => {
    expect(dependencyFailureOf(error)).toBeNull();
  });

  it('is a 503 kind', () => {
    expect(dependencyFailureOf(new Error('Command timed out'))?.kind).toBe('unavailable');
  });

  describe('with the real drivers', () => {
    it('names Postgres when the server refuses connections', async () => {
      const pool = new Pool({ host: '127.0.0.1', port: await closedPort(), user: 'x' });
      const error = await pool.query('SELECT 1').catch((e: unknown) => e);
      await pool.end();
      expect(codeOf(error)).toBe(POSTGRES_UNAVAILABLE);
    });

    it('names Postgres when the server never answers the handshake', async () => {
      const server = await silentServer();
      const pool = new Pool({
        host: '127.0.0.1',
        port: server.port,
        user: 'x',
        connectionTimeoutMillis: 200,
      });
      const error = await pool.query('SELECT 1').catch((e: unknown) => e);
      await pool.end();
      await server.close();
      expect(codeOf(error)).toBe(POSTGRES_UNAVAILABLE);
    });

    it('names Redis when a command gets no answer within commandTimeout', async () => {
      const server = await silentServer();
      const redis = new Redis({
        host: '127.0.0.1',
        port: server.port,
        commandTimeout: 200,
        enableReadyCheck: false,
      });
      const error = await redis.get('k').catch((e: unknown) => e);
      redis.disconnect();
      await server.close();
      expect(codeOf(error)).toBe(REDIS_UNAVAILABLE);
    });

    it('names Redis when the server refuses connections past maxRetriesPerRequest', async () => {
      const redis = new Redis({
        host: '127.0.0.1',
        port: await closedPort(),
        maxRetriesPerRequest: 1,
        // the queue is flushed after the second attempt; stop there so nothing lingers
        retryStrategy: (attempt) => (attempt <= 2 ? 10 : null),
      });
      redis.on('error', () => undefined);
      const ended = new Promise((resolve) => redis.once('end', resolve));
      const error = await redis.get('k').catch((e: unknown) => e);
      await ended;
      expect(codeOf(error)).toBe(REDIS_UNAVAILABLE);
    });
  });
});
