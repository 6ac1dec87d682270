export * from './auth-policy';
export * from './auth.module';
export * from './bearer-token';
export * from './device-session';
export * from './keycloak-token.verifier';
export * from './platform-auth.guard';
export * from './principal';
export * from './principal.decorator';
