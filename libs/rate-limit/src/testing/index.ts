export * from './in-memory-rate-limiter';
