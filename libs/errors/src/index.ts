export * from './domain-error';
export * from './error-kind';
export * from './http-error.filter';
export * from './platform-exception.filter';
export * from './dependency-failure';
