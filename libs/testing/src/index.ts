export * from './gateway';
export * from './test-jwt-issuer';
export * from './wait-for';
export * from './service-table';
