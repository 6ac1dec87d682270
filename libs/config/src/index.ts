export * from './config.module';
export * from './parse-env';
export * from './platform-config';
