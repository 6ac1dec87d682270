export * from './messaging.module';
export * from './redis-transport';
export * from './remote-call';
export * from './rpc-client';
