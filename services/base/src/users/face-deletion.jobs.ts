import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { InjectJobQueue, type JobContext, type JobQueue, jobId, JobWorkers } from '@platform/jobs';
import { Repository } from 'typeorm';
import { FaceClient } from '../common/remote/face.client';
import { UserEntity } from './entities/user.entity';

/** The queue of face deletions of deleted users (consumed here, in base). */
export const FACE_DELETION_QUEUE = 'base-face-deletion';

/**
 * Retries with exponential backoff from 1 s: a face service down for a minute catches up within
 * about a minute of its return; the 20th and last attempt runs about twelve days after the first.
 */
export const FACE_DELETION_RETRY = { attempts: 20, backoffMs: 1000 } as const;

export interface FaceDeletionJob {
  userId: string;
}

/** Schedules the removal of a deleted user's face (inside the deletion's transaction). */
export interface FaceDeletionScheduler {
  schedule(userId: string): Promise<void>;
}

/** One job per user: the same user deleted twice (a retried request) is one job. */
export function faceDeletionJobId(userId: string): string {
  return jobId('face-deletion', userId);
}

/**
 * Deleting a user removes their face for sure: the deletion enqueues a BullMQ job in its own
 * transaction (no job, no deletion), and this consumer calls `face.delete` until face answers.
 * The job first checks that the user is really gone: a job that runs before the deletion has
 * committed, or for a deletion that was rolled back, must not take a living user's face; it is
 * retried, and a deletion that never commits leaves the face alone once the retries run out.
 */
@Injectable()
export class FaceDeletionJobs implements FaceDeletionScheduler, OnApplicationBootstrap {
  private readonly logger = new Logger('FaceDeletionJobs');

  constructor(
    @InjectJobQueue(FACE_DELETION_QUEUE) private readonly queue: JobQueue<FaceDeletionJob>,
    private readonly workers: JobWorkers,
    private readonly faces: FaceClient,
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
  ) {}

  onApplicationBootstrap(): void {
    this.workers.process<FaceDeletionJob>(FACE_DELETION_QUEUE, (job) => this.run(job));
  }

  async schedule(userId: string): Promise<void> {
    await this.queue.enqueue({
      name: 'delete-face',
      data: { userId },
      id: faceDeletionJobId(userId),
      ...FACE_DELETION_RETRY,
    });
  }

  /** Throws (so BullMQ retries) until the user is gone and face has forgotten them. */
  async run(job: JobContext<FaceDeletionJob>): Promise<void> {
    const { userId } = job.data;
    if (await this.users.existsBy({ id: userId })) {
      throw new Error(`user ${userId} still exists: its deletion has not committed`);
    }
    const deleted = await this.faces.delete(userId);
    this.logger.log({ userId, deleted, attempt: job.attempt }, 'face of a deleted user removed');
  }
}
