import { type DataSource, type QueryRunner } from 'typeorm';
import { inTransaction, RunnerTransaction } from './runner-transaction';

function recordingRunner(fail?: Error) {
  const sent: unknown[] = [];
  const client = {
    query: async (config: { name: string; text: string; values: unknown[] }) => {
      sent.push(config);
      if (fail) throw fail;
      return { rows: [{ id: 'a' }], rowCount: 2 };
    },
  };
  const runner = {
    connect: async () => client,
    query: async (text: string) => {
      sent.push(text);
      return undefined;
    },
  } as unknown as QueryRunner;
  return { runner, sent };
}

describe('RunnerTransaction', () => {
  it('begins with the first statement, sends statements prepared under stable names, commits', async () => {
    const { runner, sent } = recordingRunner();
    const transaction = new RunnerTransaction(runner);
    await expect(transaction.rows('SELECT id FROM t WHERE id = $1', ['x'])).resolves.toEqual([
      { id: 'a' },
    ]);
    await expect(transaction.affected('UPDATE t SET n = $1', [1])).resolves.toBe(2);
    await transaction.rows('SELECT id FROM t WHERE id = $1', ['y']);
    await transaction.commit();
    const [begin, first, second, third, commit] = sent as [
      string,
      { name: string; text: string; values: unknown[] },
      { name: string },
      { name: string; values: unknown[] },
      string,
    ];
    expect([begin, commit]).toEqual(['BEGIN ISOLATION LEVEL READ COMMITTED', 'COMMIT']);
    expect(first).toMatchObject({ text: 'SELECT id FROM t WHERE id = $1', values: ['x'] });
    expect(third).toMatchObject({ name: first.name, values: ['y'] });
    expect(second.name).not.toBe(first.name);
  });

  it('a transaction that ran nothing ends without a round trip; none runs after its end', async () => {
    const { runner, sent } = recordingRunner();
    const transaction = new RunnerTransaction(runner);
    await transaction.commit();
    await new RunnerTransaction(runner).rollback();
    expect(sent).toEqual([]);
    await expect(transaction.rows('SELECT 1')).rejects.toThrow('after the transaction ended');
  });

  it('a failed statement is a QueryFailedError with the driver error, and it rolls back', async () => {
    const { runner, sent } = recordingRunner(Object.assign(new Error('boom'), { code: '40P01' }));
    const transaction = new RunnerTransaction(runner);
    await expect(transaction.rows('SELECT 1')).rejects.toMatchObject({
      driverError: { code: '40P01' },
    });
    await transaction.rollback();
    expect(sent.at(-1)).toBe('ROLLBACK');
  });
});

describe('RunnerTransaction after a connection failure', () => {
  it('sends no ROLLBACK and discards the connection instead of giving it back', async () => {
    const sent: string[] = [];
    const released: unknown[] = [];
    const runner = {
      connect: async () => ({
        query: async () => {
          throw new Error('Query read timeout');
        },
      }),
      query: async (text: string) => {
        sent.push(text);
        return undefined;
      },
      release: async () => released.push('to the pool'),
      releasePostgresConnection: async (error: Error) => released.push(error.message),
    } as unknown as QueryRunner;
    const transaction = new RunnerTransaction(runner);
    const failure = await transaction.rows('SELECT 1').catch((error: unknown) => error);
    await transaction.rollback(failure);
    await transaction.release();
    expect(sent).toEqual(['BEGIN ISOLATION LEVEL READ COMMITTED']);
    expect(released).toEqual(['Query read timeout']);
  });

  it('rolls back and gives the connection back after any other failure', async () => {
    const sent: string[] = [];
    const released: unknown[] = [];
    const runner = {
      query: async (text: string) => {
        sent.push(text);
        return undefined;
      },
      release: async () => released.push('to the pool'),
    } as unknown as QueryRunner;
    const transaction = new RunnerTransaction(runner);
    await transaction.rollback(new Error('409: the order moved on'));
    await transaction.release();
    expect(released).toEqual(['to the pool']);
  });
});

describe('inTransaction', () => {
  function fakeDataSource(failWith?: Error) {
    const calls: string[] = [];
    const runner = {
      isTransactionActive: false,
      manager: { name: 'the transaction manager' },
      connect: async () => calls.push('connect'),
      startTransaction: async () => {
        runner.isTransactionActive = true;
        calls.push('start');
      },
      commitTransaction: async () => calls.push('commit'),
      rollbackTransaction: async () => calls.push('rollback'),
      release: async () => calls.push('release to the pool'),
      releasePostgresConnection: async (error: Error) => calls.push(`discard: ${error.message}`),
    };
    const dataSource = { createQueryRunner: () => runner } as unknown as DataSource;
    const work = async (manager: unknown) => {
      calls.push(`work with ${(manager as { name: string }).name}`);
      if (failWith) throw failWith;
      return 'done';
    };
    return { dataSource, calls, work };
  }

  it('runs the work on the transaction manager and commits', async () => {
    const { dataSource, calls, work } = fakeDataSource();
    await expect(inTransaction(dataSource, work)).resolves.toBe('done');
    expect(calls).toEqual([
      'connect',
      'start',
      'work with the transaction manager',
      'commit',
      'release to the pool',
    ]);
  });

  it('rolls back after a refusal, and discards the connection after a connection failure', async () => {
    const refused = fakeDataSource(new Error('409'));
    await expect(inTransaction(refused.dataSource, refused.work)).rejects.toThrow('409');
    expect(refused.calls.slice(-2)).toEqual(['rollback', 'release to the pool']);
    const timedOut = fakeDataSource(new Error('Query read timeout'));
    await expect(inTransaction(timedOut.dataSource, timedOut.work)).rejects.toThrow('timeout');
    expect(timedOut.calls.slice(-1)).toEqual(['discard: Query read timeout']);
    expect(timedOut.calls).not.toContain('rollback');
  });
});
