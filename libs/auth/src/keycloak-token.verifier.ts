import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@platform/errors';
import { errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { type UserPrincipal } from './principal';

export const KEYCLOAK_KEY_RESOLVER = Symbol('KEYCLOAK_KEY_RESOLVER');
export const KEYCLOAK_VERIFY_OPTIONS = Symbol('KEYCLOAK_VERIFY_OPTIONS');

export interface KeycloakVerifyOptions {
  issuer: string;
  audience: string;
}

interface KeycloakClaims extends JWTPayload {
  preferred_username?: string;
  name?: string;
  email?: string;
  realm_access?: { roles?: unknown };
}

/**
 * Verifies Keycloak access tokens locally against the realm's published keys (fetched once and
 * cached by jose, refetched on an unknown key id): signature, issuer, audience, expiry.
 */
@Injectable()
export class KeycloakTokenVerifier {
  constructor(
    @Inject(KEYCLOAK_KEY_RESOLVER) private readonly keys: JWTVerifyGetKey,
    @Inject(KEYCLOAK_VERIFY_OPTIONS) private readonly options: KeycloakVerifyOptions,
  ) {}

  async verify(token: string): Promise<UserPrincipal> {
    let claims: KeycloakClaims;
    try {
      const verified = await jwtVerify<KeycloakClaims>(token, this.keys, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: ['RS256', 'PS256', 'ES256'],
        requiredClaims: ['sub', 'exp', 'iat'],
        clockTolerance: 5,
      });
      claims = verified.payload;
    } catch (error) {
      throw toAuthError(error);
    }
    const roles = claims.realm_access?.roles;
    return {
      type: 'user',
      subject: String(claims.sub),
      username: claims.preferred_username,
      name: typeof claims.name === 'string' ? claims.name : undefined,
      email: typeof claims.email === 'string' ? claims.email : undefined,
      roles: Array.isArray(roles)
        ? roles.filter((role): role is string => typeof role === 'string')
        : [],
    };
  }
}

function toAuthError(error: unknown): DomainError {
  if (error instanceof errors.JWTExpired) {
    return new DomainError('unauthenticated', 'TOKEN_EXPIRED', 'The access token has expired');
  }
  if (
    error instanceof errors.JWKSTimeout ||
    (error instanceof Error && error.name === 'TypeError')
  ) {
    // The realm's key set could not be fetched: our fault, not the caller's.
    return new DomainError(
      'unavailable',
      'AUTH_KEYS_UNAVAILABLE',
      'Token keys are unavailable, try again later',
    );
  }
  return new DomainError(
    'unauthenticated',
    'INVALID_TOKEN',
    'The access token is not valid for this platform',
  );
}
