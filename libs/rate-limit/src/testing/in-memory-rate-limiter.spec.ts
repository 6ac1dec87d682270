import { InMemoryRateLimiter } from './in-memory-rate-limiter';
import { describeRateLimiterContract } from './rate-limiter.contract';

describeRateLimiterContract('InMemoryRateLimiter', () => {
  let now = Date.UTC(2026, 10, 1);
  return {
    limiter: new InMemoryRateLimiter(() => now),
    advance: async (ms) => {
      now += ms;
    },
  };
});
