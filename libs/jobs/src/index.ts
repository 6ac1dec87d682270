export * from './job-id';
export * from './job-queue';
export * from './jobs.module';
