import { type GroupCommitOptions, GroupCommitter, type Timers } from './group-commit';

/** Manual clock: timers fire only when the test advances time. */
class FakeTimers implements Timers {
  private time = 0;
  private readonly pending = new Map<number, { at: number; callback: () => void }>();
  private nextId = 1;

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.pending.set(id, { at: this.time + ms, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  async advance(ms: number): Promise<void> {
    this.time += ms;
    for (const [id, timer] of [...this.pending.entries()].sort((a, b) => a[1].at - b[1].at)) {
      if (timer.at <= this.time && this.pending.has(id)) {
        this.pending.delete(id);
        timer.callback();
        await settle();
      }
    }
  }
}

const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
};

interface Deferred {
  items: readonly string[];
  resolve(): void;
  reject(error: Error): void;
}

function setup(overrides: Partial<GroupCommitOptions> = {}) {
  const timers = new FakeTimers();
  const commits: Deferred[] = [];
  const overloads: boolean[] = [];
  const failures: number[] = [];
  const committer = new GroupCommitter<string>(
    {
      maxWeight: 10,
      maxDelayMs: 5,
      concurrency: 1,
      pendingMaxWeight: 20,
      pendingMaxBytes: 1_000_000,
      retryMinMs: 100,
      retryMaxMs: 400,
      ...overrides,
    },
    {
      commit: (items) =>
        new Promise<void>((resolve, reject) => commits.push({ items, resolve, reject })),
      onOverload: (overloaded) => overloads.push(overloaded),
      onCommitFailure: (_error, _attempt, retryInMs) => failures.push(retryInMs),
    },
    timers,
  );
  const settled: string[] = [];
  const submit = (item: string, weight = 1, bytes = 10) =>
    committer.submit(item, weight, bytes).then(
      () => settled.push(`${item}:ok`),
      () => settled.push(`${item}:abandoned`),
    );
  return { timers, commits, overloads, failures, committer, submit, settled };
}

describe('GroupCommitter', () => {
  it('commits at once when nothing is in flight, and batches what arrives meanwhile', async () => {
    const { commits, submit, settled } = setup();
    void submit('a');
    expect(commits.map((c) => c.items)).toEqual([['a']]);
    void submit('b');
    void submit('c');
    expect(commits).toHaveLength(1);
    commits[0]?.resolve();
    await settle();
    expect(settled).toEqual(['a:ok']);
    expect(commits.map((c) => c.items)).toEqual([['a'], ['b', 'c']]);
  });

  it('resolves a submission only after its commit', async () => {
    const { commits, submit, settled } = setup();
    void submit('a');
    await settle();
    expect(settled).toEqual([]);
    commits[0]?.resolve();
    await settle();
    expect(settled).toEqual(['a:ok']);
  });

  it('caps a batch at maxWeight and keeps the rest for the next one', async () => {
    const { commits, submit } = setup({ concurrency: 1 });
    void submit('first');
    for (const item of ['a', 'b', 'c']) void submit(item, 4);
    commits[0]?.resolve();
    await settle();
    expect(commits[1]?.items).toEqual(['a', 'b']);
    commits[1]?.resolve();
    await settle();
    expect(commits[2]?.items).toEqual(['c']);
  });

  it('with a second slot, waits maxDelayMs for a batch to fill before using it', async () => {
    const { commits, submit, timers } = setup({ concurrency: 2 });
    void submit('a');
    void submit('b');
    expect(commits).toHaveLength(1);
    await timers.advance(5);
    expect(commits.map((c) => c.items)).toEqual([['a'], ['b']]);
  });

  it('retries a failed batch with doubling backoff, before newer ones, and loses nothing', async () => {
    const { commits, submit, timers, failures, settled } = setup();
    void submit('a');
    commits[0]?.reject(new Error('db down'));
    await settle();
    void submit('b');
    expect(commits).toHaveLength(1);
    await timers.advance(100);
    expect(commits[1]?.items).toEqual(['a']);
    commits[1]?.reject(new Error('db down'));
    await settle();
    await timers.advance(200);
    expect(commits[2]?.items).toEqual(['a']);
    commits[2]?.resolve();
    await settle();
    expect(commits[3]?.items).toEqual(['b']);
    commits[3]?.resolve();
    await settle();
    expect(failures).toEqual([100, 200]);
    expect(settled).toEqual(['a:ok', 'b:ok']);
  });

  it('caps the backoff at retryMaxMs', async () => {
    const { commits, submit, timers, failures } = setup();
    void submit('a');
    for (let attempt = 0; attempt < 5; attempt += 1) {
      commits[attempt]?.reject(new Error('down'));
      await settle();
      await timers.advance(400);
    }
    expect(failures).toEqual([100, 200, 400, 400, 400]);
  });

  it('reports overload at the bound and its end below half (hysteresis)', async () => {
    const { commits, submit, overloads, committer } = setup({ pendingMaxWeight: 10 });
    void submit('a', 4);
    void submit('b', 4);
    expect(overloads).toEqual([]);
    void submit('c', 2);
    expect(overloads).toEqual([true]);
    expect(committer.pending.weight).toBe(10);
    commits[0]?.resolve(); // a: 6 left, still above half
    await settle();
    expect(overloads).toEqual([true]);
    commits[1]?.resolve(); // b and c: 0 left
    await settle();
    expect(overloads).toEqual([true, false]);
  });

  it('counts bytes toward the bound too', () => {
    const { submit, overloads } = setup({ pendingMaxBytes: 100 });
    void submit('a', 1, 60);
    void submit('b', 1, 60);
    expect(overloads).toEqual([true]);
  });

  it('keeps reporting overload while the database stays down (bounded, not dropped)', async () => {
    const { commits, submit, overloads, timers, committer } = setup({ pendingMaxWeight: 4 });
    for (const item of ['a', 'b', 'c', 'd']) void submit(item);
    commits[0]?.reject(new Error('down'));
    await settle();
    await timers.advance(100);
    expect(overloads).toEqual([true]);
    expect(committer.pending.weight).toBe(4);
  });

  it('flush commits without waiting for the delay and resolves when all is committed', async () => {
    const { commits, submit, committer } = setup({ concurrency: 2, maxDelayMs: 1000 });
    void submit('a');
    void submit('b');
    const flushed = committer.flush(10_000);
    await settle();
    expect(commits.map((c) => c.items)).toEqual([['a'], ['b']]);
    commits[0]?.resolve();
    commits[1]?.resolve();
    expect(await flushed).toBe(true);
  });

  it('flush gives up at its deadline when the database stays down; close abandons the rest', async () => {
    const { commits, submit, committer, timers, settled } = setup();
    void submit('a');
    const flushed = committer.flush(1000);
    commits[0]?.reject(new Error('down'));
    await settle();
    await timers.advance(1000);
    expect(await flushed).toBe(false);
    committer.close();
    commits[1]?.reject(new Error('still down')); // the retry in flight at close
    await settle();
    expect(settled).toEqual(['a:abandoned']);
    await expect(committer.submit('late', 1, 1)).rejects.toThrow('shutting down');
  });
});
