export * from './base.contract';
export * from './delivery.contract';
export * from './face.contract';
export * from './services';
export * from './store.contract';
export * from './system.contract';
export * from './telematics.contract';
export * from './text-length';
