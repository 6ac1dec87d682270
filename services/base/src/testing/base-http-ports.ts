import { type ModuleMetadata } from '@nestjs/common';
import { type TestingModuleBuilder } from '@nestjs/testing';
import { FACE_ERROR_CODES, type StoreSummary } from '@platform/contracts';
import { DomainError } from '@platform/errors';
import { JOBS_REDIS } from '@platform/jobs';
import { RateLimiter } from '@platform/rate-limit';
import { InMemoryRateLimiter } from '@platform/rate-limit/testing';
import { REDIS_CONNECTION } from '@platform/runtime';
import type Redis from 'ioredis';
import { FaceClient } from '../common/remote/face.client';
import { StoreDirectoryClient } from '../common/remote/store-directory.client';
import { hashCardKey } from '../engineers/auth-card';
import { BaseConfig } from '../config/service.config';
import { FakeStores } from '../device-auth/testing/device-auth-testbed';

export { FakeStores };

/**
 * The face service as base's FaceClient sees it (held to the same contract as the real one:
 * common/remote/testing/face.contract.ts): 1:N identification among the faces enrolled (an image
 * shows whoever enrolled exactly that image), enrolment as an upsert that refuses a face enrolled
 * for someone else, idempotent deletion. `failure` is what face answers every call with instead
 * (its refusals such as NO_FACE pass through FaceClient as they are; its silence is
 * FACE_SERVICE_UNAVAILABLE).
 */
export class FakeFaces {
  /** User id → the image enrolled for them. */
  readonly enrolled = new Map<string, string>();
  /** The calls made, by method name and user id or image. */
  readonly calls: string[] = [];
  failure: DomainError | undefined;
  /** While set, identify waits for it (face busy with the call: the request stays in flight). */
  busy: Promise<void> | undefined;

  async identify(image: string): Promise<string> {
    this.answer(`identify ${image}`);
    await this.busy;
    for (const [userId, enrolled] of this.enrolled) {
      if (enrolled === image) return userId;
    }
    throw new DomainError('not_found', FACE_ERROR_CODES.notMatched, 'No matching face');
  }

  async enroll(userId: string, image: string): Promise<void> {
    this.answer(`enroll ${userId}`);
    for (const [owner, enrolled] of this.enrolled) {
      if (enrolled === image && owner !== userId) {
        throw new DomainError(
          'conflict',
          FACE_ERROR_CODES.alreadyEnrolled,
          'This face is already enrolled for someone else',
        );
      }
    }
    this.enrolled.set(userId, image);
  }

  async delete(userId: string): Promise<boolean> {
    this.answer(`delete ${userId}`);
    return this.enrolled.delete(userId);
  }

  async exists(userId: string): Promise<boolean> {
    this.answer(`exists ${userId}`);
    return this.enrolled.has(userId);
  }

  /** Forgets the calls, the faces and the failure. */
  reset(): void {
    this.calls.length = 0;
    this.enrolled.clear();
    this.failure = undefined;
    this.busy = undefined;
  }

  private answer(call: string): void {
    this.calls.push(call);
    if (this.failure) throw this.failure;
  }
}

/** The other services base calls, as the specs' fakes. */
export interface BaseRemotes {
  faces: FakeFaces;
  stores: FakeStores;
}

/** A store of the store service's directory, named after its id. */
export function testStore(id: string): StoreSummary {
  return {
    id,
    name: `Store ${id.slice(0, 4)}`,
    description: 'Snacks',
    logoUrl: '/static/logos/stores/1.png',
    storeType: 'SHOP',
  };
}

export function baseRemotes(): BaseRemotes {
  return { faces: new FakeFaces(), stores: new FakeStores() };
}

/** The HMAC key of engineers' card keys in these specs (AUTH_CARD_SECRET). */
export const TEST_AUTH_CARD_SECRET = 'integration-spec-auth-card-secret-0123456789';

/** The card key hash base stores for `key`, under {@link TEST_AUTH_CARD_SECRET}. */
export function testCardKeyHash(key: string): string {
  return hashCardKey(TEST_AUTH_CARD_SECRET, key);
}

interface ClaimedRedis {
  redis: { redis: Redis; db: number };
}

/**
 * Options of `startIntegrationHttp` (@platform/testing/integration) for base's feature modules:
 * what PlatformCoreModule would give them (base's config, for the card key HMAC) and the ports
 * that stay external in the integration tier replaced: the face and store services by `remotes`,
 * the job queues and the real job workers moved to the spec's own Redis database. Postgres is the
 * real one.
 */
export function baseHttp(imports: ModuleMetadata['imports'], remotes: BaseRemotes) {
  const config = { serviceName: 'base', authCardSecret: TEST_AUTH_CARD_SECRET };
  return {
    apiPrefix: 'base_api',
    imports,
    // REDIS_CONNECTION (PlatformCoreModule's in the service) is the spec's claimed database
    globals: [
      { provide: BaseConfig, useValue: config },
      { provide: REDIS_CONNECTION, useValue: null },
    ],
    override: (builder: TestingModuleBuilder, { redis }: ClaimedRedis): TestingModuleBuilder =>
      builder
        .overrideProvider(FaceClient)
        .useValue(remotes.faces)
        .overrideProvider(StoreDirectoryClient)
        .useValue(remotes.stores)
        // The job queues and their workers (which duplicate this connection) on the spec's own
        // Redis database: on the services' database they would compete with the running base.
        .overrideProvider(JOBS_REDIS)
        .useFactory({ factory: () => redis.redis.duplicate({ db: redis.db }) })
        // rate limits in memory: a connection of their own would outlive the spec (nothing closes
        // it); the Redis limiter has its own integration spec (libs/rate-limit)
        .overrideProvider(RateLimiter)
        .useValue(new InMemoryRateLimiter())
        .overrideProvider(REDIS_CONNECTION)
        .useValue(redis.redis),
  };
}
