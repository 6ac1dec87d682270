import { type QueryRunner } from 'typeorm';
import { inlineParameters, RunnerTransaction } from './runner-transaction';

describe('inlineParameters', () => {
  it('quotes strings so that no value can end its literal', () => {
    expect(inlineParameters('SELECT $1', ["it's"])).toBe(`SELECT 'it''s'`);
    expect(inlineParameters('SELECT $1', ['back\\slash'])).toBe(`SELECT  E'back\\\\slash'`);
    expect(inlineParameters('SELECT $1', ["'; DROP TABLE t; --"])).toBe(
      `SELECT '''; DROP TABLE t; --'`,
    );
  });

  it('writes numbers, booleans, null and dates as literals, and $10 is not $1 followed by 0', () => {
    const values = [
      1,
      2.5,
      true,
      null,
      undefined,
      new Date('2026-12-04T10:00:00Z'),
      7,
      8,
      9,
      'ten',
    ];
    expect(inlineParameters('$1 $2 $3 $4 $5 $6 $10', values)).toBe(
      `'1' '2.5' true NULL NULL '2026-12-04T10:00:00.000Z' 'ten'`,
    );
  });

  it('refuses what it cannot write safely: a missing value, NaN, objects, arrays', () => {
    expect(() => inlineParameters('SELECT $2', ['one'])).toThrow('$2 has no value');
    expect(() => inlineParameters('SELECT $0', ['one'])).toThrow('$0 has no value');
    expect(() => inlineParameters('SELECT $1', [Number.NaN])).toThrow('cannot inline');
    expect(() => inlineParameters('SELECT $1', [{ a: 1 }])).toThrow('cannot inline');
    expect(() => inlineParameters('SELECT $1', [['a']])).toThrow('cannot inline');
  });
});

describe('RunnerTransaction', () => {
  function recordingRunner() {
    const sent: string[] = [];
    const client = {
      query: async (text: string) => {
        sent.push(text);
        return [
          { rows: [], rowCount: null },
          { rows: [{ id: 'a' }], rowCount: 1 },
        ];
      },
    };
    const runner = {
      connect: async () => client,
      query: async (text: string) => {
        sent.push(text);
        return { records: [{ id: 'b' }], affected: 2 };
      },
    } as unknown as QueryRunner;
    return { runner, sent };
  }

  it('sends BEGIN with the first statement, later statements bound, then COMMIT', async () => {
    const { runner, sent } = recordingRunner();
    const transaction = new RunnerTransaction(runner);
    await expect(transaction.rows('SELECT id FROM t WHERE id = $1', ['x'])).resolves.toEqual([
      { id: 'a' },
    ]);
    await expect(transaction.affected('UPDATE t SET n = $1', [1])).resolves.toBe(2);
    await transaction.commit();
    expect(sent).toEqual([
      `BEGIN ISOLATION LEVEL READ COMMITTED; SELECT id FROM t WHERE id = 'x'`,
      'UPDATE t SET n = $1',
      'COMMIT',
    ]);
  });

  it('a transaction that ran nothing ends without a round trip', async () => {
    const { runner, sent } = recordingRunner();
    await new RunnerTransaction(runner).commit();
    await new RunnerTransaction(runner).rollback();
    expect(sent).toEqual([]);
  });

  it('rolls back after a failed first statement (its BEGIN was run)', async () => {
    const sent: string[] = [];
    const runner = {
      connect: async () => ({
        query: async () => {
          throw Object.assign(new Error('boom'), { code: '40P01' });
        },
      }),
      query: async (text: string) => {
        sent.push(text);
        return {};
      },
    } as unknown as QueryRunner;
    const transaction = new RunnerTransaction(runner);
    await expect(transaction.rows('SELECT 1')).rejects.toMatchObject({
      driverError: { code: '40P01' },
    });
    await transaction.rollback();
    expect(sent).toEqual(['ROLLBACK']);
  });
});

describe('RunnerTransaction with a first statement it cannot inline', () => {
  it('sends BEGIN alone, then the statement with bound parameters', async () => {
    const sent: unknown[][] = [];
    const runner = {
      connect: async () => {
        throw new Error('the simple protocol is not used');
      },
      query: async (...args: unknown[]) => {
        sent.push(args);
        return { records: [{ id: 'c' }], affected: 1 };
      },
    } as unknown as QueryRunner;
    const transaction = new RunnerTransaction(runner);
    await expect(transaction.rows('SELECT * FROM unnest($1::int[])', [[1, 2]])).resolves.toEqual([
      { id: 'c' },
    ]);
    expect(sent).toEqual([
      ['BEGIN ISOLATION LEVEL READ COMMITTED'],
      ['SELECT * FROM unnest($1::int[])', [[1, 2]], true],
    ]);
  });
});
