import {
  type DynamicModule,
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import { PlatformConfig } from '@platform/config';
import { redisConnectionOptions } from '@platform/messaging';
import { type Job, Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import { JobQueue } from './job-queue';

export const JOBS_REDIS = Symbol('JOBS_REDIS');
export const JOBS_OPTIONS = Symbol('JOBS_OPTIONS');
const JOB_QUEUES = Symbol('JOB_QUEUES');

export interface JobsModuleOptions {
  /** The queues this service produces to or consumes from. */
  queues: readonly string[];
  /**
   * Prefix of every BullMQ key (default `bull`). On Redis Cluster make it a hash tag, e.g.
   * `{jobs}`, so that each queue's keys share a slot.
   */
  prefix?: string;
}

export function jobQueueToken(queueName: string): string {
  return `JobQueue:${queueName}`;
}

/** Injects the `JobQueue` of a queue named in `JobsModule.forRoot`. */
export const InjectJobQueue = (queueName: string): ParameterDecorator & PropertyDecorator =>
  Inject(jobQueueToken(queueName));

export interface JobContext<T> {
  id: string;
  name: string;
  data: T;
  /** 1 for the first run. */
  attempt: number;
}

export type JobHandler<T> = (job: JobContext<T>) => Promise<void>;

/** How long shutdown waits for running jobs before it closes their connections anyway. */
const WORKER_CLOSE_DEADLINE_MS = 10_000;

/**
 * The consumer side: workers started by the feature that owns a queue (competing consumers, so
 * each job runs once across replicas), closed when the service shuts down. A handler that throws
 * makes BullMQ retry the job with the backoff it was added with.
 */
@Injectable()
export class JobWorkers implements OnApplicationShutdown {
  private readonly logger = new Logger('JobWorkers');
  private readonly workers: { worker: Worker; connection: Redis }[] = [];

  constructor(
    @Inject(JOBS_REDIS) private readonly redis: Redis,
    @Inject(JOBS_OPTIONS) private readonly options: JobsModuleOptions,
  ) {}

  process<T>(queueName: string, handler: JobHandler<T>, concurrency = 1): void {
    // A connection of its own, like the queues' one (same server and database): workers block on
    // Redis while they wait for jobs, so no per-command deadline and no retry cap.
    const connection = this.redis.duplicate({
      commandTimeout: undefined,
      maxRetriesPerRequest: null,
      connectionName: `${this.redis.options.connectionName ?? 'jobs'}-worker-${queueName}`,
    });
    const worker = new Worker(
      queueName,
      async (job: Job) =>
        handler({
          id: String(job.id),
          name: job.name,
          data: job.data as T,
          attempt: job.attemptsMade + 1,
        }),
      {
        connection,
        concurrency,
        ...(this.options.prefix ? { prefix: this.options.prefix } : {}),
      },
    );
    worker.on('failed', (job, error) =>
      this.logger.warn(
        { queue: queueName, job: job?.id, attempt: job?.attemptsMade, err: error },
        'job failed',
      ),
    );
    worker.on('error', (error) =>
      this.logger.error({ queue: queueName, err: error }, 'worker error'),
    );
    this.workers.push({ worker, connection });
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(
      this.workers.map(async ({ worker, connection }) => {
        const closing = worker.close();
        const timer = setTimeout(() => void worker.close(true), WORKER_CLOSE_DEADLINE_MS);
        await closing.finally(() => clearTimeout(timer));
        // BullMQ leaves a connection it was given open.
        await connection.quit().catch(() => connection.disconnect());
      }),
    );
  }
}

/** How often the repeatable jobs are asked for again (a flushed Redis does not reconnect). */
export const SCHEDULES_RESTORE_EVERY_MS = 5 * 60_000;

/**
 * Keeps the repeatable jobs (delivery-fsm's timeout sweep, telematics' partitions) in Redis: asked
 * for again each time the connection is ready (after a restart of Redis, or a start while it was
 * down) and every SCHEDULES_RESTORE_EVERY_MS; closes the producers' queues and their shared
 * connection at shutdown.
 */
@Injectable()
class JobQueuesLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('JobQueues');
  private timer: NodeJS.Timeout | undefined;
  private readonly restore = (): void => {
    void Promise.all(this.jobQueues.map((queue) => queue.restoreSchedulers())).catch(
      (error: unknown) =>
        this.logger.warn({ err: error }, 'repeatable jobs not restored (Redis down?)'),
    );
  };

  constructor(
    @Inject(JOBS_REDIS) private readonly redis: Redis,
    @Inject(JOB_QUEUES) private readonly jobQueues: JobQueue[],
  ) {}

  onApplicationBootstrap(): void {
    this.redis.on('ready', this.restore);
    this.timer = setInterval(this.restore, SCHEDULES_RESTORE_EVERY_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.redis.off('ready', this.restore);
    await Promise.allSettled(this.jobQueues.map((queue) => queue.close()));
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/**
 * BullMQ for a service: one `JobQueue` per named queue (inject with `@InjectJobQueue(name)`),
 * sharing one Redis connection with the same deadlines as the rest of the service, and
 * `JobWorkers` for the queues it consumes. Needs `PlatformCoreModule` (its config) in the app.
 */
@Module({})
export class JobsModule {
  static forRoot(options: JobsModuleOptions): DynamicModule {
    const queueProviders: Provider[] = options.queues.map((queueName) => ({
      provide: jobQueueToken(queueName),
      inject: [JOB_QUEUES],
      useFactory: (queues: JobQueue[]) =>
        queues.find((queue) => queue.name === queueName) as JobQueue,
    }));
    return {
      module: JobsModule,
      providers: [
        {
          provide: JOBS_REDIS,
          inject: [PlatformConfig],
          useFactory: (config: PlatformConfig) =>
            new Redis({
              ...redisConnectionOptions(config.redis),
              connectionName: `${config.serviceName}-jobs`,
            }),
        },
        { provide: JOBS_OPTIONS, useValue: options },
        {
          provide: JOB_QUEUES,
          inject: [JOBS_REDIS],
          useFactory: (redis: Redis) =>
            options.queues.map(
              (queueName) =>
                new JobQueue(
                  new Queue(queueName, {
                    connection: redis,
                    ...(options.prefix ? { prefix: options.prefix } : {}),
                  }),
                ),
            ),
        },
        JobQueuesLifecycle,
        JobWorkers,
        ...queueProviders,
      ],
      exports: [
        JobWorkers,
        ...queueProviders.map((provider) => (provider as { provide: string }).provide),
      ],
    };
  }
}
