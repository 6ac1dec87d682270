import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { type DependencyProbe, REDIS_CONNECTION } from '@platform/runtime';
import type Redis from 'ioredis';
import { ChromaEmbeddingIndex } from '../chroma/chroma-embedding-index';
import { FaceConfig } from '../config/service.config';
import { FaceRecognition, type PoolReadiness, WorkerFaceEmbedder } from '../recognition';
import { RedisEnrolmentLock } from './enrolment-lock';

/**
 * Readiness of the loaded models, as a dependency probe. Made before the engine (the platform
 * module lists probes from its options), and told by the engine where its workers are.
 */
export class FaceModelsProbe implements DependencyProbe {
  readonly name = 'face-models';
  private source: (() => PoolReadiness) | null = null;

  attach(source: () => PoolReadiness): void {
    this.source = source;
  }

  async check(): Promise<void> {
    const readiness = this.source?.();
    if (!readiness?.ready) {
      throw new Error(`face models not loaded: ${readiness?.lastFailure ?? 'starting'}`);
    }
  }
}

/**
 * Face recognition as the service runs it: the worker pool (models loaded once per worker, at
 * start), the ChromaDB index and the Redis enrolment lock. Workers start when the module
 * initialises (not when it is merely compiled) and stop at shutdown.
 */
@Injectable()
export class FaceEngine implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(FaceEngine.name);
  private embedder: WorkerFaceEmbedder | null = null;
  private index: ChromaEmbeddingIndex | null = null;
  private current: FaceRecognition | null = null;

  constructor(
    private readonly config: FaceConfig,
    @Inject(REDIS_CONNECTION) private readonly redis: Redis,
    private readonly modelsProbe: FaceModelsProbe,
  ) {}

  onModuleInit(): void {
    const settings = this.config.recognition;
    const embedder = new WorkerFaceEmbedder(settings, {
      onWorkerEvent: (event) =>
        event.type === 'ready'
          ? this.logger.log({ worker: event.slot }, 'face worker ready (models loaded)')
          : this.logger.warn({ worker: event.slot, reason: event.reason }, 'face worker replaced'),
    });
    const index = new ChromaEmbeddingIndex({
      url: this.config.chromaUrl,
      collection: this.config.chroma.collection,
      timeoutMs: this.config.chroma.timeoutMs,
      samplesPerPerson: settings.matching.maxSamplesPerPerson,
    });
    this.embedder = embedder;
    this.index = index;
    this.current = new FaceRecognition(
      embedder,
      index,
      settings,
      new RedisEnrolmentLock(this.redis),
    );
    this.modelsProbe.attach(() => embedder.readiness());
  }

  get recognition(): FaceRecognition {
    if (!this.current) throw new Error('FaceEngine used before the module initialised');
    return this.current;
  }

  async onApplicationShutdown(): Promise<void> {
    this.index?.close();
    await this.embedder?.close();
  }
}
