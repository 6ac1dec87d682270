export { literalRouteMethods, MethodNotAllowedError, routeKeyOf } from './allowed-methods';
export * from './domain-error';
export * from './error-catalog';
export * from './error-kind';
export * from './http-error.filter';
export * from './platform-exception.filter';
export * from './rate-limited.error';
export * from './dependency-failure';
