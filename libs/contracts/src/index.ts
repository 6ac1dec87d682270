export * from './services';
export * from './system.contract';
