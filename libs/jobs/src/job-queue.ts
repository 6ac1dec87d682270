import { DomainError, dependencyFailureOf, REDIS_UNAVAILABLE } from '@platform/errors';
import { type JobsOptions, type Queue } from 'bullmq';

/** What a producer may wait for BullMQ (a few Redis round trips) before it is a 503. */
export const JOB_QUEUE_DEADLINE_MS = 2000;

export interface DelayedJob<T> {
  name: string;
  data: T;
  /** Deterministic id (see `jobId`): scheduling the same id again keeps the first job. */
  id: string;
  delayMs: number;
  /** Runs until one succeeds (default 1); retries wait `backoffMs`, then doubling. */
  attempts?: number;
  backoffMs?: number;
}

export interface RetriedJob<T> {
  name: string;
  data: T;
  /** When given, a job with this id that is still waiting, delayed or running is not added again. */
  id?: string;
  attempts: number;
  /** First retry after this many ms, then doubling. */
  backoffMs: number;
}

function queueUnavailable(what: string): DomainError {
  return new DomainError(
    'unavailable',
    REDIS_UNAVAILABLE,
    `The job queue (Redis) is unavailable, try again later (${what})`,
  );
}

/** Any connection failure of the queue's Redis, or no answer in time, is REDIS_UNAVAILABLE. */
function withDeadline<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(queueUnavailable(what)), JOB_QUEUE_DEADLINE_MS);
  });
  const answered = work.catch((error: unknown) => {
    throw dependencyFailureOf(error) ? queueUnavailable(what) : error;
  });
  return Promise.race([answered, deadline]).finally(() => clearTimeout(timer));
}

/**
 * The producer side of one BullMQ queue, every call under a deadline. Finished jobs are removed
 * (completed at once, failed after a week for inspection), so a deterministic id can be used
 * again once its job has run.
 */
export class JobQueue<T = unknown> {
  readonly name: string;
  private readonly queue: Queue;
  /** The repeatable jobs asked for, by scheduler id (see restoreSchedulers). */
  private readonly schedules = new Map<string, { everyMs: number; name: string; data: T }>();

  constructor(queue: Queue) {
    this.queue = queue;
    this.name = queue.name;
  }

  /**
   * Adds a delayed job unless one with the same id exists (BullMQ keeps the first and ignores the
   * second add: one round trip, no read before it).
   */
  async schedule(job: DelayedJob<T>): Promise<void> {
    await withDeadline(this.addDelayed(job), `schedule ${job.id}`);
  }

  /**
   * Schedules a job again, also when the last one with its id failed (every attempt): that one is
   * kept a week for inspection, and while it is there an add with its id is a no-op, so whatever
   * the job was for would never happen. A waiting, delayed or running job is kept.
   */
  async scheduleAgain(job: DelayedJob<T>): Promise<void> {
    await withDeadline(
      (async () => {
        const existing = await this.queue.getJob(job.id);
        if (existing && (await existing.isFailed())) await existing.remove();
        await this.addDelayed(job);
      })(),
      `schedule again ${job.id}`,
    );
  }

  private addDelayed(job: DelayedJob<T>): Promise<unknown> {
    return this.queue.add(
      job.name,
      job.data,
      this.options({
        jobId: job.id,
        delay: job.delayMs,
        ...(job.attempts === undefined
          ? {}
          : {
              attempts: job.attempts,
              backoff: { type: 'exponential', delay: job.backoffMs ?? 1000 },
            }),
      }),
    );
  }

  /** Adds a job to run now, retried with exponential backoff until it succeeds or runs out. */
  async enqueue(job: RetriedJob<T>): Promise<void> {
    await withDeadline(
      this.queue.add(
        job.name,
        job.data,
        this.options({
          ...(job.id ? { jobId: job.id } : {}),
          attempts: job.attempts,
          backoff: { type: 'exponential', delay: job.backoffMs },
        }),
      ),
      `enqueue ${job.name}`,
    );
  }

  /**
   * Removes a job that has not started (a job that is gone already is fine): true, or false when
   * it is running. A running job cannot be removed (BullMQ holds its lock) and is left to finish:
   * handlers must check that their trigger still holds. One round trip, no read before it.
   */
  async cancel(id: string): Promise<boolean> {
    return withDeadline(
      this.queue.remove(id).then((removed) => removed === 1),
      `cancel ${id}`,
    );
  }

  /**
   * A job that repeats every `everyMs` (one scheduler per id, updated in place). It lives in Redis
   * only and a service asks for it once, at start, so it is also kept here for restoreSchedulers.
   */
  async repeat(schedulerId: string, everyMs: number, name: string, data: T): Promise<void> {
    this.schedules.set(schedulerId, { everyMs, name, data });
    await this.upsertScheduler(schedulerId);
  }

  /**
   * Asks Redis again for every repeatable job of this queue, for a Redis that lost them (restarted
   * empty, flushed) or never had them (it was down when the service started). An existing
   * scheduler keeps its next run (BullMQ reuses its time when `every` is unchanged).
   */
  async restoreSchedulers(): Promise<void> {
    for (const schedulerId of this.schedules.keys()) await this.upsertScheduler(schedulerId);
  }

  /** Closes the queue (its shared connection is closed by the module). */
  async close(): Promise<void> {
    await this.queue.close();
  }

  private async upsertScheduler(schedulerId: string): Promise<void> {
    const schedule = this.schedules.get(schedulerId);
    if (!schedule) return;
    await withDeadline(
      this.queue.upsertJobScheduler(
        schedulerId,
        { every: schedule.everyMs },
        { name: schedule.name, data: schedule.data, opts: this.options({}) },
      ),
      `repeat ${schedulerId}`,
    );
  }

  /** The delay left before a scheduled job runs, or null when there is no such waiting job. */
  async pendingDelayMs(id: string): Promise<number | null> {
    return withDeadline(
      (async () => {
        const job = await this.queue.getJob(id);
        if (!job || !(await job.isDelayed())) return null;
        return Math.max(0, job.timestamp + (job.delay ?? 0) - Date.now());
      })(),
      `inspect ${id}`,
    );
  }

  private options(extra: JobsOptions): JobsOptions {
    return {
      removeOnComplete: true,
      removeOnFail: { age: 7 * 24 * 3600 },
      ...extra,
    };
  }
}
