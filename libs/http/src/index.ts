export * from './ok';
export * from './pagination';
export * from './uuid-param';
export * from './date-time';
export * from './seed-scalars';
export * from './decimal-integer';
export * from './display-name';
export * from './idempotency-key';
