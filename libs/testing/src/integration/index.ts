export * from './integration-database';
export * from './integration-redis';
export * from './schema-drift';
export * from './stack-environment';
export * from './http-integration';
