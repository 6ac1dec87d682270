export * from './test-auth';
export * from './test-jwt-issuer';
