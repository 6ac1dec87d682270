/**
 * Group commit with a bounded buffer (pure: no I/O, timers injected).
 *
 * Frames are submitted as they are decoded; each submission resolves once the transaction that
 * holds it committed (only then may its reply go out). Submissions are batched across
 * connections: a batch leaves as soon as a commit slot is free and either nothing is in flight,
 * the batch is full (`maxWeight`), or its oldest submission waited `maxDelayMs`; so under load
 * batches grow by themselves while a commit is in flight, and an idle server commits at once.
 *
 * Backpressure: the committer counts what is buffered or in flight (weight = records, and bytes);
 * above either bound it reports `overloaded` (the server stops reading sockets), and below half
 * of both it reports the end of it. A failed commit is retried (the same batch, before any newer
 * one) with exponential backoff between `retryMinMs` and `retryMaxMs`: nothing is dropped, and
 * the bound keeps a dead database from costing unbounded memory.
 */
export interface GroupCommitOptions {
  maxWeight: number;
  maxDelayMs: number;
  concurrency: number;
  pendingMaxWeight: number;
  pendingMaxBytes: number;
  retryMinMs: number;
  retryMaxMs: number;
}

export interface Timers {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface CommitHooks<T> {
  /** Stores the batch in one transaction; rejects when nothing of it was committed. */
  commit(items: readonly T[]): Promise<void>;
  /** The buffer crossed its bound (true) or drained below half of it (false). */
  onOverload?(overloaded: boolean): void;
  /** A commit failed; it will be retried after `retryInMs`. */
  onCommitFailure?(error: unknown, attempt: number, retryInMs: number): void;
}

interface Pending<T> {
  item: T;
  weight: number;
  bytes: number;
  submittedAt: number;
  resolve(): void;
  reject(error: Error): void;
}

interface Batch<T> {
  entries: Pending<T>[];
  attempts: number;
}

export class CommitAbandonedError extends Error {
  constructor(reason: string) {
    super(`not committed: ${reason}`);
    this.name = 'CommitAbandonedError';
  }
}

export class GroupCommitter<T> {
  private queue: Pending<T>[] = [];
  private queuedWeight = 0;
  private readonly retries: Batch<T>[] = [];
  private inFlight = 0;
  private pendingWeight = 0;
  private pendingBytes = 0;
  private overloaded = false;
  private delayTimer: unknown = null;
  private backoffTimer: unknown = null;
  private backoffMs = 0;
  private flushing = false;
  private closed = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly options: GroupCommitOptions,
    private readonly hooks: CommitHooks<T>,
    private readonly timers: Timers = realTimers,
  ) {}

  /** Weight and bytes not yet committed (queued, in flight or waiting for a retry). */
  get pending(): { weight: number; bytes: number; inFlight: number; overloaded: boolean } {
    return {
      weight: this.pendingWeight,
      bytes: this.pendingBytes,
      inFlight: this.inFlight,
      overloaded: this.overloaded,
    };
  }

  /** Resolves when `item` is committed; rejects only if the committer is closed before that. */
  submit(item: T, weight: number, bytes: number): Promise<void> {
    if (this.closed) return Promise.reject(new CommitAbandonedError('shutting down'));
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ item, weight, bytes, submittedAt: this.timers.now(), resolve, reject });
      this.queuedWeight += weight;
      this.pendingWeight += weight;
      this.pendingBytes += bytes;
      this.checkOverload();
      this.dispatch();
    });
  }

  /**
   * Commits everything buffered without waiting for batches to fill and resolves when nothing
   * is pending (retries go on with their backoff), or after `deadlineMs`, whichever is first.
   * Returns whether everything was committed.
   */
  async flush(deadlineMs: number): Promise<boolean> {
    this.flushing = true;
    this.dispatch();
    if (this.isIdle()) return true;
    let timer: unknown;
    const idle = new Promise<boolean>((resolve) => this.idleWaiters.push(() => resolve(true)));
    const deadline = new Promise<boolean>((resolve) => {
      timer = this.timers.setTimeout(() => resolve(false), deadlineMs);
    });
    const result = await Promise.race([idle, deadline]);
    this.timers.clearTimeout(timer);
    return result;
  }

  /** Gives up on everything not committed (their submissions reject); nothing is accepted after. */
  close(): void {
    this.closed = true;
    this.timers.clearTimeout(this.delayTimer);
    this.timers.clearTimeout(this.backoffTimer);
    const abandoned = [...this.retries.flatMap((batch) => batch.entries), ...this.queue];
    this.retries.length = 0;
    this.queue = [];
    for (const entry of abandoned) entry.reject(new CommitAbandonedError('shutting down'));
  }

  private isIdle(): boolean {
    return this.inFlight === 0 && this.queue.length === 0 && this.retries.length === 0;
  }

  private dispatch(): void {
    if (this.closed || this.backoffTimer !== null) return;
    while (this.inFlight < this.options.concurrency) {
      const retry = this.retries.shift();
      if (retry) {
        this.run(retry);
        continue;
      }
      if (this.queue.length === 0) return;
      const oldest = this.queue[0] as Pending<T>;
      const waited = this.timers.now() - oldest.submittedAt;
      const ready =
        this.flushing ||
        this.inFlight === 0 ||
        this.queuedWeight >= this.options.maxWeight ||
        waited >= this.options.maxDelayMs;
      if (!ready) {
        this.armDelay(this.options.maxDelayMs - waited);
        return;
      }
      this.run({ entries: this.takeBatch(), attempts: 0 });
    }
  }

  private takeBatch(): Pending<T>[] {
    let weight = 0;
    let count = 0;
    while (count < this.queue.length) {
      const next = this.queue[count] as Pending<T>;
      if (count > 0 && weight + next.weight > this.options.maxWeight) break;
      weight += next.weight;
      count += 1;
    }
    const entries = this.queue.splice(0, count);
    this.queuedWeight -= weight;
    return entries;
  }

  private armDelay(ms: number): void {
    if (this.delayTimer !== null) return;
    this.delayTimer = this.timers.setTimeout(
      () => {
        this.delayTimer = null;
        this.dispatch();
      },
      Math.max(0, ms),
    );
  }

  private run(batch: Batch<T>): void {
    this.inFlight += 1;
    batch.attempts += 1;
    let committed: Promise<void>;
    try {
      committed = this.hooks.commit(batch.entries.map((entry) => entry.item));
    } catch (error) {
      committed = Promise.reject(error);
    }
    committed.then(
      () => this.succeeded(batch),
      (error: unknown) => this.failed(batch, error),
    );
  }

  private succeeded(batch: Batch<T>): void {
    this.inFlight -= 1;
    this.backoffMs = 0;
    for (const entry of batch.entries) {
      this.pendingWeight -= entry.weight;
      this.pendingBytes -= entry.bytes;
      entry.resolve();
    }
    this.checkOverload();
    this.afterSettle();
  }

  private failed(batch: Batch<T>, error: unknown): void {
    this.inFlight -= 1;
    if (this.closed) {
      for (const entry of batch.entries) entry.reject(new CommitAbandonedError('shutting down'));
      this.afterSettle();
      return;
    }
    this.backoffMs =
      this.backoffMs === 0
        ? this.options.retryMinMs
        : Math.min(this.backoffMs * 2, this.options.retryMaxMs);
    this.retries.push(batch);
    this.hooks.onCommitFailure?.(error, batch.attempts, this.backoffMs);
    if (this.backoffTimer === null) {
      this.backoffTimer = this.timers.setTimeout(() => {
        this.backoffTimer = null;
        this.dispatch();
      }, this.backoffMs);
    }
  }

  private afterSettle(): void {
    this.dispatch();
    if (this.isIdle()) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const waiter of waiters) waiter();
    }
  }

  private checkOverload(): void {
    const { pendingMaxWeight, pendingMaxBytes } = this.options;
    if (
      !this.overloaded &&
      (this.pendingWeight >= pendingMaxWeight || this.pendingBytes >= pendingMaxBytes)
    ) {
      this.overloaded = true;
      this.hooks.onOverload?.(true);
    } else if (
      this.overloaded &&
      this.pendingWeight < pendingMaxWeight / 2 &&
      this.pendingBytes < pendingMaxBytes / 2
    ) {
      this.overloaded = false;
      this.hooks.onOverload?.(false);
    }
  }
}
