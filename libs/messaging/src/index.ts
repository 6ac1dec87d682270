export * from './messaging.module';
export * from './redis-transport';
export * from './rpc-client';
