export * from './embedding-index';
export * from './face-embedder';
export * from './face-errors';
export * from './face-matcher';
export * from './face-quality';
export * from './face-recognition';
export * from './recognition-settings';
export type { FaceEmbedding } from './face-pipeline';
export type { PoolReadiness, WorkerEvent, WorkerScript } from './worker/worker-pool';
