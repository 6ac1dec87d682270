import { workerData } from 'node:worker_threads';
import { type FaceEmbedding, FacePipeline } from '../face-pipeline';
import { type RecognitionSettings } from '../recognition-settings';
import { type EmbedRequest } from '../face-embedder';
import { serveTasks } from './worker-protocol';

// Entry point of a face worker thread: loads the models once, then embeds one image at a time.
serveTasks<EmbedRequest, FaceEmbedding>(async () => {
  const pipeline = await FacePipeline.load(workerData as RecognitionSettings);
  return async ({ image, purpose }) => {
    const embedding = await pipeline.embed(image, purpose);
    return { result: embedding, transfer: [embedding.vector.buffer] };
  };
});
