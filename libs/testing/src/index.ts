export * from './client-address';
export * from './failure-of';
export * from './faults';
export * from './gateway';
export * from './http-harness';
export * from './kiosk-door';
export * from './wait-for';
export * from './service-table';
export * from './stand-ins';

// The auth side of a test bed lives next to the guard it feeds (libs/auth's own specs use it).
export {
  createTestJwtIssuer,
  testAuthProviders,
  testDeviceSessionVerifier,
  type TestDevices,
  type TestJwtIssuer,
  type TestKeycloak,
  type TestTokenClaims,
} from '@platform/auth/testing';
export * from './service-skeleton';
