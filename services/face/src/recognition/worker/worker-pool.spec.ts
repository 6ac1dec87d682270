import path from 'node:path';
import { faceWorkerScript } from '../face-embedder';
import { type ScriptedRequest } from './testing/scripted-worker';
import { type WorkerEvent, WorkerPool, type WorkerPoolOptions } from './worker-pool';

const script = {
  file: path.join(__dirname, 'testing', 'scripted-worker.ts'),
  execArgv: faceWorkerScript().execArgv,
};

const pools: WorkerPool<ScriptedRequest, number>[] = [];

function pool(
  options: Partial<WorkerPoolOptions> = {},
): WorkerPool<ScriptedRequest, number> & { events: WorkerEvent[] } {
  const events: WorkerEvent[] = [];
  const created = new WorkerPool<ScriptedRequest, number>({
    script,
    poolSize: 1,
    maxQueue: 4,
    deadlineMs: 2000,
    startupTimeoutMs: 20_000,
    restartDelayMs: 10,
    onWorkerEvent: (event) => events.push(event),
    ...options,
  });
  pools.push(created);
  return Object.assign(created, { events });
}

async function ready(target: WorkerPool<ScriptedRequest, number>, workers = 1): Promise<void> {
  while (target.readiness().readyWorkers < workers) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

afterAll(async () => {
  await Promise.all(pools.map((created) => created.close()));
});

describe('WorkerPool', () => {
  it('answers tasks in worker threads and passes typed refusals through', async () => {
    const target = pool({ poolSize: 2 });
    const answers = await Promise.all(
      [1, 2, 3].map((value) => target.run({ action: 'echo', value })),
    );
    expect(answers).toEqual([1, 2, 3]);
    await expect(target.run({ action: 'refuse' })).rejects.toMatchObject({ code: 'NO_FACE' });
    await ready(target, 2);
    expect(target.readiness()).toMatchObject({ ready: true, workers: 2, queued: 0 });
  });

  it('refuses work beyond the queue bound with FACE_BUSY', async () => {
    const target = pool({ maxQueue: 2 });
    await ready(target);
    const running = target.run({ action: 'echo', value: 1, delayMs: 300 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const queued = [2, 3].map((value) => target.run({ action: 'echo', value }));
    await expect(target.run({ action: 'echo', value: 4 })).rejects.toMatchObject({
      code: 'FACE_BUSY',
    });
    await expect(Promise.all([running, ...queued])).resolves.toEqual([1, 2, 3]);
  });

  it('times out a stuck task, replaces its worker and keeps serving', async () => {
    const target = pool({ deadlineMs: 300 });
    await ready(target);
    const started = Date.now();
    await expect(target.run({ action: 'spin', ms: 5000 })).rejects.toMatchObject({
      code: 'FACE_TIMEOUT',
    });
    expect(Date.now() - started).toBeLessThan(1500);
    expect(target.events).toContainEqual(
      expect.objectContaining({ type: 'replaced', reason: 'exceeded the deadline of a task' }),
    );
    await expect(target.run({ action: 'echo', value: 7 })).resolves.toBe(7);
  });

  it('times out a task still waiting in the queue', async () => {
    const target = pool({ deadlineMs: 400 });
    await ready(target);
    const blocking = target.run({ action: 'echo', value: 1, delayMs: 350 });
    const waiting = target.run({ action: 'echo', value: 2 });
    await expect(blocking).resolves.toBe(1);
    await expect(waiting).resolves.toBe(2);
    const outcomes = await Promise.allSettled([
      target.run({ action: 'spin', ms: 3000 }),
      target.run({ action: 'echo', value: 3 }),
    ]);
    expect(outcomes).toEqual([
      { status: 'rejected', reason: expect.objectContaining({ code: 'FACE_TIMEOUT' }) },
      { status: 'rejected', reason: expect.objectContaining({ code: 'FACE_TIMEOUT' }) },
    ]);
  });

  it('fails the in-flight task of a crashed worker and restarts it', async () => {
    const target = pool();
    await ready(target);
    await expect(target.run({ action: 'die' })).rejects.toMatchObject({
      code: 'FACE_WORKER_FAILED',
    });
    await expect(target.run({ action: 'echo', value: 9 })).resolves.toBe(9);
    expect(target.events.filter((event) => event.type === 'ready')).toHaveLength(2);
  });

  it('is not ready, and fails fast, while no worker can load its models', async () => {
    const target = pool({ workerData: { failStart: true }, restartDelayMs: 60_000 });
    const refused = target.run({ action: 'echo', value: 1 });
    await expect(refused).rejects.toMatchObject({ code: 'FACE_MODELS_NOT_READY' });
    expect(target.readiness()).toMatchObject({
      ready: false,
      lastFailure: expect.stringContaining('no models here'),
    });
  });

  it('fails a task that cannot be sent to a worker and keeps the worker', async () => {
    const target = pool();
    await ready(target);
    const uncloneable = { action: 'echo', value: () => 1 } as unknown as ScriptedRequest;
    await expect(target.run(uncloneable)).rejects.toMatchObject({ code: 'FACE_PIPELINE_FAILED' });
    await expect(target.run({ action: 'echo', value: 2 })).resolves.toBe(2);
  });

  it('refuses work after close', async () => {
    const target = pool();
    await target.close();
    await expect(target.run({ action: 'echo', value: 1 })).rejects.toMatchObject({
      code: 'FACE_WORKER_FAILED',
    });
  });
});
