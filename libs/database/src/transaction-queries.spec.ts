import { type QueryRunner } from 'typeorm';
import { queryAffected, queryRows } from './transaction-queries';

function runnerAnswering(result: { records: unknown[]; affected?: number }) {
  const calls: unknown[][] = [];
  const runner = {
    query: async (...args: unknown[]) => {
      calls.push(args);
      return result;
    },
  } as unknown as QueryRunner;
  return { runner, calls };
}

describe('transaction queries', () => {
  it('asks for the structured result and gives back its rows', async () => {
    const { runner, calls } = runnerAnswering({ records: [{ id: 'a' }, { id: 'b' }] });
    await expect(queryRows(runner, 'SELECT id FROM t WHERE x = $1', [1])).resolves.toEqual([
      { id: 'a' },
      { id: 'b' },
    ]);
    expect(calls).toEqual([['SELECT id FROM t WHERE x = $1', [1], true]]);
  });

  it('counts the rows a write touched, 0 when the driver says nothing', async () => {
    await expect(
      queryAffected(runnerAnswering({ records: [], affected: 3 }).runner, 'UPDATE t SET x = 1'),
    ).resolves.toBe(3);
    await expect(
      queryAffected(runnerAnswering({ records: [] }).runner, 'DELETE FROM t'),
    ).resolves.toBe(0);
  });
});
