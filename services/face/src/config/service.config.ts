import { parseEnv, PlatformConfig, type PlatformEnv, platformEnvSchema } from '@platform/config';
import { FACE_IMAGE_MAX_BYTES } from '@platform/contracts';
import { z } from 'zod';
import {
  DEFAULT_RECOGNITION_SETTINGS,
  type RecognitionSettings,
  recognitionSettings,
} from '../recognition';

const defaults = DEFAULT_RECOGNITION_SETTINGS;
const similarity = z.coerce.number().min(0).max(1);
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const faceEnvSchema = platformEnvSchema.extend({
  /** ChromaDB, where face embeddings live. */
  CHROMA_URL: z.url(),
  /** The collection of face samples (cosine space). */
  CHROMA_COLLECTION: z
    .string()
    .regex(/^[a-zA-Z0-9][a-zA-Z0-9._-]{1,61}[a-zA-Z0-9]$/)
    .default('face_embeddings'),
  /** Deadline of each ChromaDB operation; past it 503 CHROMADB_UNAVAILABLE. */
  CHROMA_TIMEOUT_MS: int(100, 60_000).default(2000),
  /** Cosine similarity at or above which a face is the person (calibrated: docs/face-recognition.md). */
  FACE_MATCH_THRESHOLD: similarity.default(defaults.matching.threshold),
  /** A new sample this similar to someone else's is FACE_ALREADY_ENROLLED (default: the threshold). */
  FACE_DUPLICATE_THRESHOLD: similarity.optional(),
  /** Samples kept per person (enrolment in `add` mode drops the oldest beyond it). */
  FACE_MAX_SAMPLES: int(1, 20).default(defaults.matching.maxSamplesPerPerson),
  /** Worker threads, each with its own models (~60 MB) and one image at a time. */
  FACE_WORKERS: int(1, 8).default(defaults.workers.poolSize),
  /** Images waiting for a worker; one more is 503 FACE_BUSY. */
  FACE_QUEUE_MAX: int(0, 1000).default(defaults.workers.maxQueue),
  /** Per image, queueing included; past it FACE_TIMEOUT (under base's 4.5 s RPC deadline). */
  FACE_DEADLINE_MS: int(500, 60_000).default(4000),
  /** Encoded image bytes after base64 decoding; more is IMAGE_TOO_LARGE. */
  FACE_MAX_IMAGE_BYTES: int(1024, FACE_IMAGE_MAX_BYTES).default(defaults.image.maxEncodedBytes),
});

/** face's configuration: the platform's settings, the vector store and face recognition's. */
export class FaceConfig extends PlatformConfig {
  readonly chromaUrl: string;
  readonly chroma: { readonly collection: string; readonly timeoutMs: number };
  readonly recognition: RecognitionSettings;

  constructor(env: PlatformEnv & z.infer<typeof faceEnvSchema>) {
    super('face', env);
    this.chromaUrl = env.CHROMA_URL.replace(/\/$/, '');
    this.chroma = Object.freeze({
      collection: env.CHROMA_COLLECTION,
      timeoutMs: env.CHROMA_TIMEOUT_MS,
    });
    this.recognition = recognitionSettings({
      image: { maxEncodedBytes: env.FACE_MAX_IMAGE_BYTES },
      matching: {
        threshold: env.FACE_MATCH_THRESHOLD,
        duplicateThreshold: env.FACE_DUPLICATE_THRESHOLD ?? env.FACE_MATCH_THRESHOLD,
        maxSamplesPerPerson: env.FACE_MAX_SAMPLES,
      },
      workers: {
        poolSize: env.FACE_WORKERS,
        maxQueue: env.FACE_QUEUE_MAX,
        deadlineMs: env.FACE_DEADLINE_MS,
      },
    });
  }
}

export function loadServiceConfig(env: NodeJS.ProcessEnv = process.env): FaceConfig {
  return Object.freeze(new FaceConfig(parseEnv('face', faceEnvSchema, env)));
}
