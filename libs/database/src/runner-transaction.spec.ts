import { type QueryRunner } from 'typeorm';
import { RunnerTransaction } from './runner-transaction';

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
