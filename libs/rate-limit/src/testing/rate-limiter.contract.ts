import { randomUUID } from 'node:crypto';
import { RateLimitedError } from '@platform/errors';
import { type RateLimiter } from '../rate-limiter';

export interface RateLimiterSubject {
  limiter: RateLimiter;
  /** Lets `ms` of time pass for the windows: the fake moves its clock, Redis is waited for. */
  advance(ms: number): Promise<void>;
}

const WINDOW_MS = 300;

/**
 * What a caller of RateLimiter sees, whatever counts: run against InMemoryRateLimiter (unit tier)
 * and against RedisRateLimiter's Lua script on Redis (integration tier), so the fake every
 * service's specs lean on cannot drift from the script. Every case uses fresh bucket keys.
 */
export function describeRateLimiterContract(
  name: string,
  makeSubject: () => RateLimiterSubject,
): void {
  describe(`RateLimiter contract: ${name}`, () => {
    let limiter: RateLimiter;
    let advance: (ms: number) => Promise<void>;

    beforeEach(() => {
      ({ limiter, advance } = makeSubject());
    });

    const bucket = (limit: number) => ({ key: `contract:${randomUUID()}`, limit });

    describe('hit', () => {
      it('admits up to the limit, then answers the time left in the window', async () => {
        const only = bucket(3);
        for (let i = 0; i < 3; i++) expect(await limiter.hit([only], WINDOW_MS)).toBe(0);
        const retryMs = await limiter.hit([only], WINDOW_MS);
        expect(retryMs).toBeGreaterThan(0);
        expect(retryMs).toBeLessThanOrEqual(WINDOW_MS);
      });

      it('counts down the time left while the window runs', async () => {
        const only = bucket(0);
        const first = await limiter.hit([only], 1000);
        await advance(200);
        expect(await limiter.hit([only], 1000)).toBeLessThanOrEqual(first - 150);
      });

      it('starts counting again once the window has passed', async () => {
        const only = bucket(1);
        expect(await limiter.hit([only], WINDOW_MS)).toBe(0);
        expect(await limiter.hit([only], WINDOW_MS)).toBeGreaterThan(0);
        await advance(WINDOW_MS + 200);
        expect(await limiter.hit([only], WINDOW_MS)).toBe(0);
      });

      it('stops at the first bucket over its limit without counting the later ones', async () => {
        const strict = bucket(1);
        const loose = bucket(3);
        expect(await limiter.hit([strict, loose], 10_000)).toBe(0);
        expect(await limiter.hit([strict, loose], 10_000)).toBeGreaterThan(0);
        // `loose` was counted once, by the first hit only: two more fit.
        expect(await limiter.hit([loose], 10_000)).toBe(0);
        expect(await limiter.hit([loose], 10_000)).toBe(0);
        expect(await limiter.hit([loose], 10_000)).toBeGreaterThan(0);
      });

      it('keeps buckets with different keys apart', async () => {
        const a = bucket(1);
        const b = { ...bucket(1), key: `${a.key}:other` };
        expect(await limiter.hit([a], 10_000)).toBe(0);
        expect(await limiter.hit([b], 10_000)).toBe(0);
        expect(await limiter.hit([a], 10_000)).toBeGreaterThan(0);
      });

      it('admits exactly the limit out of concurrent hits', async () => {
        const shared = bucket(10);
        const answers = await Promise.all(
          Array.from({ length: 25 }, () => limiter.hit([shared], 10_000)),
        );
        expect(answers.filter((retryMs) => retryMs === 0)).toHaveLength(10);
        expect(answers.filter((retryMs) => retryMs > 0)).toHaveLength(15);
      });

      it('admits a hit on no bucket at all', async () => {
        expect(await limiter.hit([], WINDOW_MS)).toBe(0);
      });
    });

    describe('check', () => {
      it('resolves within the limit and throws RateLimitedError in whole seconds beyond it', async () => {
        const only = bucket(2);
        await expect(limiter.check([only], 60_000)).resolves.toBeUndefined();
        await expect(limiter.check([only], 60_000)).resolves.toBeUndefined();
        const refused = limiter.check([only], 60_000);
        await expect(refused).rejects.toBeInstanceOf(RateLimitedError);
        await expect(refused).rejects.toMatchObject({
          kind: 'rate_limited',
          code: 'RATE_LIMITED',
          retryAfterSeconds: 60,
        });
      });

      it('answers at least one second when less is left', async () => {
        const only = bucket(0);
        await expect(limiter.check([only], 50)).rejects.toMatchObject({ retryAfterSeconds: 1 });
      });
    });
  });
}
