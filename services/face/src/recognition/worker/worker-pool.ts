import { Worker, type Transferable } from 'node:worker_threads';
import { type FaceError, faceError, fromFaceErrorPayload } from '../face-errors';
import { type TaskMessage, type WorkerMessage } from './worker-protocol';

/** The script a worker runs, and the Node flags it needs (a TypeScript loader from source). */
export interface WorkerScript {
  readonly file: string;
  readonly execArgv: readonly string[];
}

export interface WorkerPoolOptions {
  readonly script: WorkerScript;
  /** Handed to every worker as `workerData` (structured clone). */
  readonly workerData?: unknown;
  readonly poolSize: number;
  readonly maxQueue: number;
  readonly deadlineMs: number;
  readonly startupTimeoutMs: number;
  /** Delay before replacing a worker; doubles with each consecutive failed start (max 30 s). */
  readonly restartDelayMs?: number;
  readonly onWorkerEvent?: (event: WorkerEvent) => void;
}

/** For logs and metrics: a worker came up, or failed and is being replaced. */
export type WorkerEvent =
  | { readonly type: 'ready'; readonly slot: number }
  | { readonly type: 'replaced'; readonly slot: number; readonly reason: string };

export interface PoolReadiness {
  /** At least one worker has its models loaded. */
  readonly ready: boolean;
  readonly workers: number;
  readonly readyWorkers: number;
  readonly queued: number;
  readonly lastFailure: string | null;
}

interface Task<Request, Result> {
  readonly id: number;
  readonly request: Request;
  readonly transfer: readonly Transferable[];
  readonly resolve: (result: Result) => void;
  readonly reject: (error: FaceError) => void;
  readonly deadline: NodeJS.Timeout;
}

interface Slot<Request, Result> {
  readonly index: number;
  worker: Worker | null;
  state: 'starting' | 'idle' | 'busy' | 'down';
  task: Task<Request, Result> | null;
  failedStarts: number;
  timer: NodeJS.Timeout | null;
}

const DEFAULT_RESTART_DELAY_MS = 200;
const MAX_RESTART_DELAY_MS = 30_000;

/**
 * A fixed set of worker threads, one task each at a time, fed from a bounded FIFO queue. Every task
 * has a deadline that covers its wait in the queue: a queued task past it is dropped, a running one
 * is answered FACE_TIMEOUT and its worker replaced (synchronous WASM inference cannot be
 * interrupted, and the next task must not wait behind it). A worker that dies fails its task with
 * FACE_WORKER_FAILED and is restarted, with backoff while it keeps failing to start.
 */
export class WorkerPool<Request, Result> {
  private readonly queue: Task<Request, Result>[] = [];
  private readonly slots: Slot<Request, Result>[] = [];
  private nextTaskId = 1;
  private lastFailure: string | null = null;
  private closed = false;

  constructor(private readonly options: WorkerPoolOptions) {
    for (let index = 0; index < Math.max(1, options.poolSize); index++) {
      const slot: Slot<Request, Result> = {
        index,
        worker: null,
        state: 'down',
        task: null,
        failedStarts: 0,
        timer: null,
      };
      this.slots.push(slot);
      this.start(slot);
    }
  }

  run(request: Request, transfer: readonly Transferable[] = []): Promise<Result> {
    if (this.closed) {
      return Promise.reject(faceError('FACE_WORKER_FAILED', 'The face workers are shut down'));
    }
    if (this.queue.length >= this.options.maxQueue) {
      return Promise.reject(
        faceError('FACE_BUSY', 'Face recognition is busy; try again shortly', {
          queued: this.queue.length,
        }),
      );
    }
    return new Promise<Result>((resolve, reject) => {
      const id = this.nextTaskId++;
      const deadline = setTimeout(() => this.expire(id), this.options.deadlineMs);
      this.queue.push({ id, request, transfer, resolve, reject, deadline });
      this.dispatch();
    });
  }

  readiness(): PoolReadiness {
    const readyWorkers = this.slots.filter(
      (slot) => slot.state === 'idle' || slot.state === 'busy',
    ).length;
    return {
      ready: readyWorkers > 0,
      workers: this.slots.length,
      readyWorkers,
      queued: this.queue.length,
      lastFailure: this.lastFailure,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    const shutDown = (): FaceError =>
      faceError('FACE_WORKER_FAILED', 'The face workers are shutting down');
    for (const task of this.queue.splice(0)) this.fail(task, shutDown());
    await Promise.all(
      this.slots.map(async (slot) => {
        if (slot.timer) clearTimeout(slot.timer);
        if (slot.task) this.fail(slot.task, shutDown());
        const worker = slot.worker;
        slot.worker = null;
        slot.state = 'down';
        if (worker) await worker.terminate();
      }),
    );
  }

  private start(slot: Slot<Request, Result>): void {
    slot.timer = null;
    if (this.closed) return;
    const worker = new Worker(this.options.script.file, {
      execArgv: [...this.options.script.execArgv],
      workerData: this.options.workerData,
    });
    slot.worker = worker;
    slot.state = 'starting';
    slot.timer = setTimeout(
      () => this.replace(slot, worker, 'did not load its models in time'),
      this.options.startupTimeoutMs,
    );
    worker.on('message', (message: WorkerMessage<Result>) => this.receive(slot, worker, message));
    worker.on('error', (error) => this.replace(slot, worker, `crashed: ${error.message}`));
    worker.on('exit', (code) => this.replace(slot, worker, `exited with code ${code}`));
  }

  private receive(
    slot: Slot<Request, Result>,
    worker: Worker,
    message: WorkerMessage<Result>,
  ): void {
    if (slot.worker !== worker) return;
    switch (message.type) {
      case 'ready':
        if (slot.timer) clearTimeout(slot.timer);
        slot.timer = null;
        slot.state = 'idle';
        slot.failedStarts = 0;
        this.options.onWorkerEvent?.({ type: 'ready', slot: slot.index });
        this.dispatch();
        return;
      case 'failed':
        this.replace(slot, worker, `could not load its models: ${message.error.message}`);
        return;
      case 'result':
      case 'error': {
        const task = slot.task;
        if (!task || task.id !== message.id) return;
        slot.task = null;
        slot.state = 'idle';
        if (message.type === 'result') this.succeed(task, message.result);
        else this.fail(task, fromFaceErrorPayload(message.error));
        this.dispatch();
        return;
      }
    }
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.state !== 'idle' || !slot.worker) continue;
      const task = this.queue.shift();
      if (!task) return;
      slot.task = task;
      slot.state = 'busy';
      const message: TaskMessage<Request> = { id: task.id, request: task.request };
      try {
        slot.worker.postMessage(message, [...task.transfer]);
      } catch (error) {
        // An uncloneable request is the caller's bug; the worker stays usable.
        slot.task = null;
        slot.state = 'idle';
        this.fail(
          task,
          faceError('FACE_PIPELINE_FAILED', `Cannot send the task: ${String(error)}`),
        );
      }
    }
  }

  private expire(taskId: number): void {
    const queued = this.queue.findIndex((task) => task.id === taskId);
    if (queued >= 0) {
      const [task] = this.queue.splice(queued, 1);
      this.fail(task, this.timeout());
      return;
    }
    const slot = this.slots.find((candidate) => candidate.task?.id === taskId);
    if (slot?.task && slot.worker) {
      this.fail(slot.task, this.timeout());
      slot.task = null;
      this.replace(slot, slot.worker, 'exceeded the deadline of a task');
    }
  }

  /** Drops a worker (whatever it is doing) and schedules a fresh one. */
  private replace(slot: Slot<Request, Result>, worker: Worker, reason: string): void {
    if (slot.worker !== worker) return;
    const wasStarting = slot.state === 'starting';
    if (slot.timer) clearTimeout(slot.timer);
    slot.worker = null;
    slot.state = 'down';
    void worker.terminate();
    this.lastFailure = `worker ${slot.index} ${reason}`;
    this.options.onWorkerEvent?.({ type: 'replaced', slot: slot.index, reason });
    if (slot.task) {
      this.fail(
        slot.task,
        faceError('FACE_WORKER_FAILED', 'The face worker failed; try again', { reason }),
      );
      slot.task = null;
    }
    if (wasStarting) {
      slot.failedStarts++;
      // Nothing can serve the queue until a worker loads: fail fast rather than at the deadline.
      if (!this.readiness().ready) this.failQueued(reason);
    }
    const delay = Math.min(
      MAX_RESTART_DELAY_MS,
      (this.options.restartDelayMs ?? DEFAULT_RESTART_DELAY_MS) * 2 ** slot.failedStarts,
    );
    slot.timer = setTimeout(() => this.start(slot), delay);
    slot.timer.unref();
  }

  private failQueued(reason: string): void {
    for (const task of this.queue.splice(0)) {
      this.fail(
        task,
        faceError('FACE_MODELS_NOT_READY', 'The face models are not loaded', { reason }),
      );
    }
  }

  private timeout(): FaceError {
    return faceError('FACE_TIMEOUT', 'The image was not processed in time', {
      deadlineMs: this.options.deadlineMs,
    });
  }

  private succeed(task: Task<Request, Result>, result: Result): void {
    clearTimeout(task.deadline);
    task.resolve(result);
  }

  private fail(task: Task<Request, Result>, error: FaceError): void {
    clearTimeout(task.deadline);
    task.reject(error);
  }
}
