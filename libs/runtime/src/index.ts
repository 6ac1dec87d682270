export * from './bootstrap';
export * from './dependency-probe';
export * from './logging';
export * from './migrate-command';
export * from './platform-core.module';
export * from './readiness.service';
export * from './redis-connection';
export * from './request-input';
