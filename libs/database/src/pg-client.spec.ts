import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { PgClientClosedOnReadTimeout } from './pg-client';

/**
 * A Postgres that accepts the connection and then, like a paused server, never answers a
 * query. It records when the client's socket goes away.
 */
async function silentPostgres(): Promise<{ server: Server; port: number; closed: Promise<void> }> {
  let resolveClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  const server = createServer((socket: Socket) => {
    socket.once('data', () => {
      // AuthenticationOk, then ReadyForQuery (idle): the startup is done.
      socket.write(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 0, 0x5a, 0, 0, 0, 5, 0x49]));
    });
    socket.on('close', resolveClosed);
    socket.on('error', () => undefined);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, port: address.port, closed };
}

describe('PgClientClosedOnReadTimeout', () => {
  it.each(['promise', 'callback'] as const)(
    'closes the connection when a query is not answered in time (%s form), so the next one fails at once',
    async (form) => {
      const postgres = await silentPostgres();
      const client = new PgClientClosedOnReadTimeout({
        host: '127.0.0.1',
        port: postgres.port,
        user: 'x',
        database: 'x',
        query_timeout: 100,
      });
      client.on('error', () => undefined);
      try {
        await client.connect();
        const first =
          form === 'promise'
            ? client.query('INSERT INTO t VALUES (1)')
            : new Promise((resolve, reject) =>
                client.query('INSERT INTO t VALUES (1)', (error) =>
                  error ? reject(error) : resolve(undefined),
                ),
              );
        await expect(first).rejects.toThrow('Query read timeout');
        await postgres.closed;
        // TypeORM's ROLLBACK after the failed statement: refused now, not after another 100 ms.
        const started = Date.now();
        await expect(client.query('ROLLBACK')).rejects.toThrow();
        expect(Date.now() - started).toBeLessThan(50);
      } finally {
        postgres.server.close();
      }
    },
  );
});
