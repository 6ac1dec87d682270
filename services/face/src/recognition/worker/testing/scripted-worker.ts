import { workerData } from 'node:worker_threads';
import { faceError } from '../../face-errors';
import { serveTasks } from '../worker-protocol';

/**
 * A stand-in for the face worker in the pool's specs: it loads nothing, and each request says what
 * to do (answer, answer late, refuse, busy-loop, die). `workerData.failStart` fails the start.
 */
export type ScriptedRequest =
  | { readonly action: 'echo'; readonly value: number; readonly delayMs?: number }
  | { readonly action: 'refuse' }
  | { readonly action: 'spin'; readonly ms: number }
  | { readonly action: 'die' };

const options = (workerData ?? {}) as { failStart?: boolean };

serveTasks<ScriptedRequest, number>(async () => {
  if (options.failStart) throw new Error('no models here');
  return async (request) => {
    switch (request.action) {
      case 'echo':
        await new Promise((resolve) => setTimeout(resolve, request.delayMs ?? 0));
        return { result: request.value };
      case 'refuse':
        throw faceError('NO_FACE', 'No face was found in the image');
      case 'spin': {
        // Blocks the worker's thread, as a long synchronous inference would.
        const until = Date.now() + request.ms;
        while (Date.now() < until);
        return { result: 0 };
      }
      case 'die':
        process.exit(3);
    }
  };
});
