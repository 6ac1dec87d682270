import { DomainError } from './domain-error';

/** 429 RATE_LIMITED; the HTTP error filter answers it with `Retry-After: <seconds>`. */
export class RateLimitedError extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super('rate_limited', 'RATE_LIMITED', 'Too many requests; retry later', {
      retryAfterSeconds,
    });
  }
}
