import { randomUUID } from 'node:crypto';
import { Global, Module } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { PlatformConfig } from '@platform/config';
import { REDIS_UNAVAILABLE } from '@platform/errors';
import { stackVariable } from '@platform/testing/integration';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { jobId } from './job-id';
import { JobQueue } from './job-queue';
import { type JobContext, JOBS_REDIS, JobsModule, JobWorkers, jobQueueToken } from './jobs.module';

/** BullMQ against the stack's real Redis, through the module as a service wires it. */
const redisConfig = () => ({
  host: stackVariable('REDIS_HOST'),
  port: Number(stackVariable('REDIS_PORT')),
  password: process.env['REDIS_PASSWORD'] ?? '',
});

// Keys under a prefix of this run's own, deleted afterwards: the services' jobs are never seen.
const prefix = `it-jobs-${randomUUID().slice(0, 8)}`;
const QUEUE = 'timeouts';

@Global()
@Module({
  providers: [
    {
      provide: PlatformConfig,
      useFactory: () => ({ redis: redisConfig(), serviceName: 'jobs-int-spec' }),
    },
  ],
  exports: [PlatformConfig],
})
class FakePlatformConfigModule {}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

describe('JobsModule on Redis', () => {
  let moduleRef: TestingModule;
  let queue: JobQueue<{ n: number }>;
  let workers: JobWorkers;
  const runs: JobContext<{ n: number }>[] = [];
  let failUntilAttempt = 0;
  /** While set, a job with data n = 99 waits for it: a job that is running. */
  let holdRunning: Promise<void> | undefined;

  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [FakePlatformConfigModule, JobsModule.forRoot({ queues: [QUEUE], prefix })],
    }).compile();
    await moduleRef.init();
    queue = moduleRef.get(jobQueueToken(QUEUE));
    workers = moduleRef.get(JobWorkers);
    workers.process<{ n: number }>(QUEUE, async (job) => {
      runs.push(job);
      if (job.data.n === 99) await holdRunning;
      if (job.attempt < failUntilAttempt) throw new Error(`failing attempt ${job.attempt}`);
    });
  });

  afterAll(async () => {
    await moduleRef.close();
    const redis = new Redis({ ...redisConfig(), lazyConnect: true });
    await redis.connect();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  beforeEach(() => {
    runs.length = 0;
    failUntilAttempt = 0;
  });

  it('runs a delayed job after its delay, once, even when scheduled twice', async () => {
    const id = jobId('order', randomUUID(), 'reserved', 'reservation-timeout');
    const started = Date.now();
    await queue.schedule({ name: 'expire', data: { n: 1 }, id, delayMs: 400 });
    await queue.schedule({ name: 'expire', data: { n: 2 }, id, delayMs: 400 });
    expect(await queue.pendingDelayMs(id)).toBeGreaterThan(0);
    await until(() => runs.length === 1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    await sleep(300);
    expect(runs.map((run) => [run.id, run.name, run.data.n])).toEqual([[id, 'expire', 1]]);
  });

  it('never runs a job cancelled before its time', async () => {
    const id = jobId('order', randomUUID(), 'assigned', 'pickup-timeout');
    await queue.schedule({ name: 'expire', data: { n: 3 }, id, delayMs: 300 });
    await expect(queue.cancel(id)).resolves.toBe(true);
    expect(await queue.pendingDelayMs(id)).toBeNull();
    await expect(queue.cancel(id)).resolves.toBe(true); // gone already: nothing to do

    await sleep(600);
    expect(runs).toEqual([]);
  });

  it('cannot cancel a job that is running: false, and it finishes', async () => {
    const id = jobId('cell', randomUUID(), 'opening', 'ack-timeout');
    let release = (): void => undefined;
    holdRunning = new Promise((resolve) => (release = resolve));
    await queue.schedule({ name: 'expire', data: { n: 99 }, id, delayMs: 10 });
    await until(() => runs.length === 1);
    await expect(queue.cancel(id)).resolves.toBe(false);
    release();
    await sleep(100);
    expect(runs.map((run) => run.data.n)).toEqual([99]);
  });

  it('can schedule an id again once its job has run (finished jobs are removed)', async () => {
    const id = jobId('cell', randomUUID(), 'opening', 'ack-timeout');
    await queue.schedule({ name: 'expire', data: { n: 4 }, id, delayMs: 10 });
    await until(() => runs.length === 1);
    await sleep(100);
    await queue.schedule({ name: 'expire', data: { n: 5 }, id, delayMs: 10 });
    await until(() => runs.length === 2);
    expect(runs.map((run) => run.data.n)).toEqual([4, 5]);
  });

  it('retries a failing delayed job, and schedules one again after every attempt failed', async () => {
    const id = jobId('it', randomUUID());
    failUntilAttempt = 2;
    await queue.schedule({
      name: 'expire',
      data: { n: 6 },
      id,
      delayMs: 10,
      attempts: 2,
      backoffMs: 50,
    });
    await until(() => runs.filter((run) => run.data.n === 6).length === 2);
    expect(runs.filter((run) => run.data.n === 6).map((run) => run.attempt)).toEqual([1, 2]);

    failUntilAttempt = 5;
    await queue.schedule({ name: 'expire', data: { n: 7 }, id: `${id}.f`, delayMs: 10 });
    await until(() => runs.some((run) => run.data.n === 7));
    await sleep(100);
    // Failed and kept: a plain schedule with its id is a no-op, scheduleAgain runs it.
    failUntilAttempt = 0;
    await queue.schedule({ name: 'expire', data: { n: 7 }, id: `${id}.f`, delayMs: 10 });
    await sleep(300);
    expect(runs.filter((run) => run.data.n === 7)).toHaveLength(1);
    await queue.scheduleAgain({ name: 'expire', data: { n: 7 }, id: `${id}.f`, delayMs: 10 });
    await until(() => runs.filter((run) => run.data.n === 7).length === 2);
  });

  it('retries a failing job with backoff until it succeeds', async () => {
    failUntilAttempt = 3;
    await queue.enqueue({ name: 'forget-face', data: { n: 6 }, attempts: 5, backoffMs: 50 });
    await until(() => runs.length === 3);
    await sleep(300);
    expect(runs.map((run) => run.attempt)).toEqual([1, 2, 3]);
  });

  it('repeats a job on a schedule kept once per id', async () => {
    await queue.repeat('retention', 150, 'prune', { n: 7 });
    await queue.repeat('retention', 150, 'prune', { n: 7 });
    await until(() => runs.filter((run) => run.name === 'prune').length >= 2, 3000);
    const raw = new Queue(QUEUE, { connection: redisConfig(), prefix });
    try {
      expect((await raw.getJobSchedulers()).map((scheduler) => scheduler.key)).toEqual([
        'retention',
      ]);
      await raw.removeJobScheduler('retention');
    } finally {
      await raw.close();
    }
  });

  it('asks for its repeatable jobs again when Redis lost them, keeping the next run of one it has', async () => {
    await queue.repeat('partitions', 3_600_000, 'maintain', { n: 8 });
    const raw = new Queue(QUEUE, { connection: redisConfig(), prefix });
    try {
      const before = await raw.getJobScheduler('partitions');
      expect(before?.next).toEqual(expect.any(Number));
      await queue.restoreSchedulers();
      expect((await raw.getJobScheduler('partitions'))?.next).toBe(before?.next);
      // lost (a flushed or replaced Redis): back at the next restore
      await raw.removeJobScheduler('partitions');
      await queue.restoreSchedulers();
      expect((await raw.getJobScheduler('partitions'))?.key).toBe('partitions');
      // and at once when the connection is ready again after Redis went away
      await raw.removeJobScheduler('partitions');
      moduleRef.get<Redis>(JOBS_REDIS).disconnect(true);
      const started = Date.now();
      while (!(await raw.getJobScheduler('partitions'))) {
        expect(Date.now() - started).toBeLessThan(5000);
        await sleep(50);
      }
      await raw.removeJobScheduler('partitions');
    } finally {
      await raw.close();
    }
  });

  it('answers REDIS_UNAVAILABLE within its deadline when Redis does not answer', async () => {
    const nobody = new Queue(QUEUE, {
      connection: {
        host: '127.0.0.1',
        port: 1,
        maxRetriesPerRequest: 1,
        connectTimeout: 300,
        retryStrategy: () => null,
      },
      prefix,
    });
    nobody.on('error', () => undefined);
    const unreachable = new JobQueue<{ n: number }>(nobody);
    const started = Date.now();
    await expect(
      unreachable.schedule({ name: 'x', data: { n: 0 }, id: 'never', delayMs: 10 }),
    ).rejects.toMatchObject({ code: REDIS_UNAVAILABLE });
    expect(Date.now() - started).toBeLessThan(3000);
    await nobody.close().catch(() => undefined);
  });
});
