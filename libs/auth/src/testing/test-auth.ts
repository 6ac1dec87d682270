import { type Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { DomainError } from '@platform/errors';
import { type JWTVerifyGetKey } from 'jose';
import { INVALID_SESSION } from '../device-session';
import {
  KEYCLOAK_KEY_RESOLVER,
  KEYCLOAK_VERIFY_OPTIONS,
  KeycloakTokenVerifier,
} from '../keycloak-token.verifier';
import {
  DEVICE_SESSION_VERIFIER,
  type DeviceSessionVerifier,
  PlatformAuthGuard,
} from '../platform-auth.guard';
import { type DevicePrincipal } from '../principal';

/** The Keycloak side of a test bed: a key resolver and what tokens must say (a TestJwtIssuer fits). */
export interface TestKeycloak {
  keyResolver: JWTVerifyGetKey;
  issuer: string;
  audience: string;
}

/** Device session tokens a test bed accepts, and who they stand for. */
export type TestDevices = Record<string, Omit<DevicePrincipal, 'type'>>;

/** A device-session verifier that knows exactly `devices`; any other token is 401 INVALID_SESSION. */
export function testDeviceSessionVerifier(devices: TestDevices = {}): DeviceSessionVerifier {
  return {
    verify: async (token: string): Promise<DevicePrincipal> => {
      const device = devices[token];
      if (!device) {
        throw new DomainError('unauthenticated', INVALID_SESSION, 'Invalid session');
      }
      return { type: 'device', ...device };
    },
  };
}

/**
 * The platform's auth wiring for a test module: the real deny-by-default guard and Keycloak
 * verifier, fed by a local key; device sessions from `devices` unless `deviceSessions: false`
 * (the module under test provides the real verifier itself, as base's device-auth does).
 */
export function testAuthProviders(options: {
  keycloak: TestKeycloak;
  devices?: TestDevices;
  deviceSessions?: boolean;
}): Provider[] {
  return [
    { provide: KEYCLOAK_KEY_RESOLVER, useValue: options.keycloak.keyResolver },
    {
      provide: KEYCLOAK_VERIFY_OPTIONS,
      useValue: { issuer: options.keycloak.issuer, audience: options.keycloak.audience },
    },
    KeycloakTokenVerifier,
    ...(options.deviceSessions === false
      ? []
      : [
          {
            provide: DEVICE_SESSION_VERIFIER,
            useValue: testDeviceSessionVerifier(options.devices),
          },
        ]),
    { provide: APP_GUARD, useClass: PlatformAuthGuard },
  ];
}
