export * from './simulated-tracker';
