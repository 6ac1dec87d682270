import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type FaceEmbedding } from './face-pipeline';
import { type FacePurpose } from './face-quality';
import { type RecognitionSettings } from './recognition-settings';
import {
  type PoolReadiness,
  type WorkerEvent,
  WorkerPool,
  type WorkerScript,
} from './worker/worker-pool';

/** One image's bytes (moved to the worker, not copied) and what the face is for. */
export interface EmbedRequest {
  readonly image: Uint8Array;
  readonly purpose: FacePurpose;
}

/** Image bytes → embedding, off the caller's event loop. */
export interface FaceEmbedder {
  embed(image: Uint8Array, purpose: FacePurpose): Promise<FaceEmbedding>;
  readiness(): PoolReadiness;
  close(): Promise<void>;
}

/** The compiled worker's file name next to the bundle (webpack entry `face-worker`). */
export const BUNDLED_WORKER_FILE = 'face-worker.js';

/**
 * The face worker's script. In the webpack bundle it is the `face-worker.js` entry beside main.js;
 * from source (tsx, Jest) it is the TypeScript entry, run through tsx's loader.
 */
export function faceWorkerScript(): WorkerScript {
  const bundled = path.join(__dirname, BUNDLED_WORKER_FILE);
  if (existsSync(bundled)) return { file: bundled, execArgv: [] };
  const tsxLoader = createRequire(__filename).resolve('tsx');
  return {
    file: path.join(__dirname, 'worker', 'face-worker.ts'),
    execArgv: ['--import', pathToFileURL(tsxLoader).href],
  };
}

export interface WorkerFaceEmbedderOptions {
  readonly script?: WorkerScript;
  readonly onWorkerEvent?: (event: WorkerEvent) => void;
}

/** The service's embedder: a pool of worker threads, each with its own copy of the models. */
export class WorkerFaceEmbedder implements FaceEmbedder {
  private readonly pool: WorkerPool<EmbedRequest, FaceEmbedding>;

  constructor(settings: RecognitionSettings, options: WorkerFaceEmbedderOptions = {}) {
    this.pool = new WorkerPool<EmbedRequest, FaceEmbedding>({
      script: options.script ?? faceWorkerScript(),
      workerData: settings,
      ...settings.workers,
      ...(options.onWorkerEvent ? { onWorkerEvent: options.onWorkerEvent } : {}),
    });
  }

  embed(image: Uint8Array, purpose: FacePurpose): Promise<FaceEmbedding> {
    // A private copy can be transferred: the caller's bytes may be a view of a pooled Buffer.
    const owned = new Uint8Array(image.byteLength);
    owned.set(image);
    return this.pool.run({ image: owned, purpose }, [owned.buffer]);
  }

  readiness(): PoolReadiness {
    return this.pool.readiness();
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
