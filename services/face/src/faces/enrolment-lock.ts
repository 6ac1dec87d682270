import { randomUUID } from 'node:crypto';
import { dependencyFailureOf } from '@platform/errors';
import type Redis from 'ioredis';
import { type EnrolmentSerializer, faceError } from '../recognition';

/**
 * Enrolment decisions one at a time across every replica: a Redis lock (`SET NX PX` with a token,
 * released by a compare-and-delete script) around the duplicate check and the write. Embeddings
 * are computed before, in parallel; only the few ChromaDB round trips of the decision wait.
 *
 * Key: `face:lock:enrolment` (one for all persons: the same face enrolled for two different
 * people must be decided one after the other). A holder that dies frees it after `ttlMs`.
 */
export interface EnrolmentLockOptions {
  readonly key: string;
  /** Longer than a decision can take (a few ChromaDB calls, each under its own deadline). */
  readonly ttlMs: number;
  /** How long an enrolment waits for the lock before 503 FACE_BUSY. */
  readonly waitMs: number;
  readonly retryMs: number;
}

export const ENROLMENT_LOCK_DEFAULTS: EnrolmentLockOptions = Object.freeze({
  key: 'face:lock:enrolment',
  ttlMs: 15_000,
  waitMs: 5000,
  retryMs: 15,
});

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`;

export class RedisEnrolmentLock implements EnrolmentSerializer {
  constructor(
    private readonly redis: Redis,
    private readonly options: EnrolmentLockOptions = ENROLMENT_LOCK_DEFAULTS,
  ) {}

  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    const token = randomUUID();
    await this.acquire(token);
    try {
      return await work();
    } finally {
      await this.redis.eval(RELEASE, 1, this.options.key, token).catch(() => undefined);
    }
  }

  private async acquire(token: string): Promise<void> {
    const giveUpAt = Date.now() + this.options.waitMs;
    for (;;) {
      let taken: string | null;
      try {
        taken = await this.redis.set(this.options.key, token, 'PX', this.options.ttlMs, 'NX');
      } catch (error) {
        throw dependencyFailureOf(error) ?? error;
      }
      if (taken === 'OK') return;
      if (Date.now() >= giveUpAt) {
        throw faceError('FACE_BUSY', 'Another enrolment is being decided; try again shortly', {
          waitedMs: this.options.waitMs,
        });
      }
      await new Promise((resolve) => setTimeout(resolve, this.options.retryMs));
    }
  }
}
