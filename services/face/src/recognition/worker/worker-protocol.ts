import { parentPort, type Transferable } from 'node:worker_threads';
import { type FaceErrorPayload, toFaceErrorPayload } from '../face-errors';

/**
 * Messages between the pool (main thread) and a worker. A worker announces `ready` once its models
 * are loaded (or `failed`), then answers each `task` with `result` or `error`, one at a time.
 */
export interface TaskMessage<Request> {
  readonly id: number;
  readonly request: Request;
}

export type WorkerMessage<Result> =
  | { readonly type: 'ready' }
  | { readonly type: 'failed'; readonly error: FaceErrorPayload }
  | { readonly type: 'result'; readonly id: number; readonly result: Result }
  | { readonly type: 'error'; readonly id: number; readonly error: FaceErrorPayload };

/** A handled task's result and the buffers to move (not copy) back to the main thread. */
export interface HandledTask<Result> {
  readonly result: Result;
  readonly transfer?: readonly Transferable[];
}

export type TaskHandler<Request, Result> = (request: Request) => Promise<HandledTask<Result>>;

/**
 * The worker side: runs `initialise` once (loading models), reports readiness, then serves tasks.
 * Every failure goes back as a typed error payload; the worker itself keeps running.
 */
export function serveTasks<Request, Result>(
  initialise: () => Promise<TaskHandler<Request, Result>>,
): void {
  const port = parentPort;
  if (!port) throw new Error('serveTasks must run in a worker thread');
  const post = (message: WorkerMessage<Result>, transfer: readonly Transferable[] = []): void =>
    port.postMessage(message, [...transfer]);

  initialise().then(
    (handle) => {
      port.on('message', (task: TaskMessage<Request>) => {
        handle(task.request).then(
          ({ result, transfer }) => post({ type: 'result', id: task.id, result }, transfer),
          (error: unknown) =>
            post({ type: 'error', id: task.id, error: toFaceErrorPayload(error) }),
        );
      });
      post({ type: 'ready' });
    },
    (error: unknown) => post({ type: 'failed', error: toFaceErrorPayload(error) }),
  );
}
