import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PlatformConfig } from '@platform/config';
import { createRemoteJWKSet } from 'jose';
import {
  KEYCLOAK_KEY_RESOLVER,
  KEYCLOAK_VERIFY_OPTIONS,
  KeycloakTokenVerifier,
  type KeycloakVerifyOptions,
} from './keycloak-token.verifier';
import { PlatformAuthGuard } from './platform-auth.guard';

/** Installs the deny-by-default guard and the Keycloak verifier fed by the realm's JWKS. */
@Global()
@Module({
  providers: [
    {
      provide: KEYCLOAK_KEY_RESOLVER,
      inject: [PlatformConfig],
      useFactory: (config: PlatformConfig) =>
        createRemoteJWKSet(new URL(config.keycloak.jwksUrl), {
          timeoutDuration: 3000,
          cooldownDuration: 30_000,
        }),
    },
    {
      provide: KEYCLOAK_VERIFY_OPTIONS,
      inject: [PlatformConfig],
      useFactory: (config: PlatformConfig): KeycloakVerifyOptions => ({
        issuer: config.keycloak.issuer,
        audience: config.keycloak.audience,
      }),
    },
    KeycloakTokenVerifier,
    { provide: APP_GUARD, useClass: PlatformAuthGuard },
  ],
  exports: [KeycloakTokenVerifier, KEYCLOAK_KEY_RESOLVER],
})
export class AuthModule {}
