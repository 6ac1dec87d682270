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
  /** Keycloak's token type: `Bearer` on access tokens, `ID` on ID tokens, `DPoP` when bound. */
  typ?: unknown;
  preferred_username?: string;
  name?: string;
  email?: string;
  realm_access?: { roles?: unknown };
}

/** Leeway for clock skew between Keycloak and this host, on both `exp` and `nbf`. */
const CLOCK_TOLERANCE_SECONDS = 5;
/** Verified tokens remembered per process (about 2 KB each): a bound, not a working-set guess. */
export const VERIFIED_TOKEN_CACHE_SIZE = 10_000;

interface VerifiedToken {
  principal: UserPrincipal;
  /** `exp` plus the tolerance, in ms: the cached answer is refused from then on. */
  usableUntilMs: number;
}

/**
 * Verifies Keycloak access tokens locally against the realm's published keys (fetched once and
 * cached by jose, refetched on an unknown key id): signature, issuer, audience, expiry, and that
 * it is an access token. A key set that cannot be fetched is a 503, never the caller's 401.
 *
 * A client sends the same access token with every request for its lifetime (minutes), so a
 * token that verified is remembered until its `exp`: the signature check (the costly part) runs
 * once per token, not per request. Nothing about a token changes before its expiry that a fresh
 * check would see (ADR 0002: a token is not checked against Keycloak per request); failures are
 * never remembered. Oldest entries go first when the bound is reached.
 */
@Injectable()
export class KeycloakTokenVerifier {
  private readonly verified = new Map<string, VerifiedToken>();

  constructor(
    @Inject(KEYCLOAK_KEY_RESOLVER) private readonly keys: JWTVerifyGetKey,
    @Inject(KEYCLOAK_VERIFY_OPTIONS) private readonly options: KeycloakVerifyOptions,
  ) {}

  async verify(token: string): Promise<UserPrincipal> {
    const known = this.verified.get(token);
    if (known) {
      if (Date.now() < known.usableUntilMs) return known.principal;
      this.verified.delete(token);
      throw new DomainError('unauthenticated', 'TOKEN_EXPIRED', 'The access token has expired');
    }
    const checked = await this.check(token);
    // Shared by every request that sends this token: nobody may change it.
    const principal = Object.freeze({
      ...checked.principal,
      roles: Object.freeze(checked.principal.roles),
    });
    if (this.verified.size >= VERIFIED_TOKEN_CACHE_SIZE) {
      const oldest = this.verified.keys().next();
      if (!oldest.done) this.verified.delete(oldest.value);
    }
    this.verified.set(token, {
      principal,
      usableUntilMs: (checked.expiresAt + CLOCK_TOLERANCE_SECONDS) * 1000,
    });
    return principal;
  }

  private async check(token: string): Promise<{ principal: UserPrincipal; expiresAt: number }> {
    let claims: KeycloakClaims;
    try {
      const verified = await jwtVerify<KeycloakClaims>(token, this.keys, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: ['RS256', 'PS256', 'ES256'],
        requiredClaims: ['sub', 'exp', 'iat'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      });
      claims = verified.payload;
    } catch (error) {
      throw toAuthError(error);
    }
    // An ID token (or a DPoP-bound one, which needs a proof we do not take) is signed by the
    // same key: only an access token may stand for its holder, whatever its audience says.
    if (claims.typ !== 'Bearer') throw invalidToken();
    const roles = claims.realm_access?.roles;
    const principal: UserPrincipal = {
      type: 'user',
      subject: String(claims.sub),
      username: claims.preferred_username,
      name: typeof claims.name === 'string' ? claims.name : undefined,
      email: typeof claims.email === 'string' ? claims.email : undefined,
      roles: Array.isArray(roles)
        ? roles.filter((role): role is string => typeof role === 'string')
        : [],
    };
    return { principal, expiresAt: Number(claims.exp) };
  }
}

function toAuthError(error: unknown): DomainError {
  if (error instanceof errors.JWTExpired) {
    return new DomainError('unauthenticated', 'TOKEN_EXPIRED', 'The access token has expired');
  }
  if (
    error instanceof errors.JWKSTimeout ||
    error instanceof errors.JWKSInvalid ||
    // jose's bare JOSEError: the key set answered other than 200, or not with JSON
    (error instanceof errors.JOSEError && error.code === errors.JOSEError.code) ||
    (error instanceof Error && error.name === 'TypeError')
  ) {
    // The realm's key set could not be fetched: our fault, not the caller's.
    return new DomainError(
      'unavailable',
      'AUTH_KEYS_UNAVAILABLE',
      'Token keys are unavailable, try again later',
    );
  }
  return invalidToken();
}

function invalidToken(): DomainError {
  return new DomainError(
    'unauthenticated',
    'INVALID_TOKEN',
    'The access token is not valid for this platform',
  );
}
