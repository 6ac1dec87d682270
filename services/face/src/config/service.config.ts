import { parseEnv, PlatformConfig, type PlatformEnv, platformEnvSchema } from '@platform/config';
import { z } from 'zod';

const faceEnvSchema = platformEnvSchema.extend({
  /** ChromaDB, where face embeddings live. */
  CHROMA_URL: z.url(),
});

/** face's configuration: the platform's settings plus the vector store's address. */
export class FaceConfig extends PlatformConfig {
  readonly chromaUrl: string;

  constructor(env: PlatformEnv & z.infer<typeof faceEnvSchema>) {
    super('face', env);
    this.chromaUrl = env.CHROMA_URL.replace(/\/$/, '');
  }
}

export function loadServiceConfig(env: NodeJS.ProcessEnv = process.env): FaceConfig {
  return Object.freeze(new FaceConfig(parseEnv('face', faceEnvSchema, env)));
}
