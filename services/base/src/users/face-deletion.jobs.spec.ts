import { DomainError } from '@platform/errors';
import { type JobQueue, type JobWorkers } from '@platform/jobs';
import { type Repository } from 'typeorm';
import { type FaceClient } from '../common/remote/face.client';
import { type UserEntity } from './entities/user.entity';
import {
  FACE_DELETION_QUEUE,
  FACE_DELETION_RETRY,
  type FaceDeletionJob,
  faceDeletionJobId,
  FaceDeletionJobs,
} from './face-deletion.jobs';

const USER = '6f1c2a9e-3b7d-4e8f-9a0b-1c2d3e4f5a6b';

function setUp({ userExists = false, faceDelete = jest.fn(async () => true) } = {}) {
  const queue = { enqueue: jest.fn(async () => undefined) };
  const workers = { process: jest.fn() };
  const faces = { delete: faceDelete };
  const users = { existsBy: jest.fn(async () => userExists) };
  const jobs = new FaceDeletionJobs(
    queue as unknown as JobQueue<FaceDeletionJob>,
    workers as unknown as JobWorkers,
    faces as unknown as FaceClient,
    users as unknown as Repository<UserEntity>,
  );
  return { jobs, queue, workers, faces, users };
}

const job = (attempt = 1) => ({
  id: faceDeletionJobId(USER),
  name: 'delete-face',
  data: { userId: USER },
  attempt,
});

describe('FaceDeletionJobs', () => {
  it('enqueues one retried job per user, with a deterministic id', async () => {
    const { jobs, queue } = setUp();
    await jobs.schedule(USER);
    expect(queue.enqueue).toHaveBeenCalledWith({
      name: 'delete-face',
      data: { userId: USER },
      id: `face-deletion.${USER}`,
      ...FACE_DELETION_RETRY,
    });
  });

  it('consumes its queue once the application has started', () => {
    const { jobs, workers } = setUp();
    jobs.onApplicationBootstrap();
    expect(workers.process).toHaveBeenCalledWith(FACE_DELETION_QUEUE, expect.any(Function));
  });

  it('asks face to forget a user who is gone', async () => {
    const { jobs, faces } = setUp();
    await jobs.run(job());
    expect(faces.delete).toHaveBeenCalledWith(USER);
  });

  it('fails (so BullMQ retries) while face is down', async () => {
    const down = new DomainError('unavailable', 'FACE_SERVICE_UNAVAILABLE', 'down');
    const { jobs } = setUp({ faceDelete: jest.fn().mockRejectedValue(down) });
    await expect(jobs.run(job(3))).rejects.toBe(down);
  });

  it('never takes the face of a user who still exists (deletion not committed, or undone)', async () => {
    const { jobs, faces } = setUp({ userExists: true });
    await expect(jobs.run(job())).rejects.toThrow('still exists');
    expect(faces.delete).not.toHaveBeenCalled();
  });
});
