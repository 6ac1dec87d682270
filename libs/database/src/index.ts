export * from './db-errors';
export * from './postgres-options';
export * from './run-migrations';
export * from './runner-transaction';
export * from './binary-copy';
export * from './copy-transaction';
export * from './pg-client';
