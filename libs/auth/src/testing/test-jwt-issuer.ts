import { createLocalJWKSet, exportJWK, generateKeyPair, type JWTVerifyGetKey, SignJWT } from 'jose';

export interface TestTokenClaims {
  subject?: string;
  username?: string;
  roles?: string[];
  audience?: string;
  issuer?: string;
  expiresInSeconds?: number;
  /** Keycloak's `typ` claim: `Bearer` (an access token) unless told otherwise, e.g. `ID`. */
  tokenType?: string;
}

export interface TestJwtIssuer {
  issuer: string;
  audience: string;
  keyResolver: JWTVerifyGetKey;
  sign(claims?: TestTokenClaims): Promise<string>;
}

/**
 * A stand-in for the realm's signing key in unit tests: tokens shaped like Keycloak's, signed by a
 * key pair made here, with a key resolver to hand to the verifier instead of the remote JWKS.
 */
export async function createTestJwtIssuer(
  issuer = 'http://127.0.0.1:8080/keycloak/realms/platform',
  audience = 'platform-api',
): Promise<TestJwtIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  return {
    issuer,
    audience,
    keyResolver: createLocalJWKSet({ keys: [jwk] }),
    sign: (claims: TestTokenClaims = {}) =>
      new SignJWT({
        typ: claims.tokenType ?? 'Bearer',
        preferred_username: claims.username ?? 'someone',
        realm_access: { roles: claims.roles ?? [] },
      })
        .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
        .setSubject(claims.subject ?? 'f4a1c0de-0000-4000-8000-000000000001')
        .setIssuer(claims.issuer ?? issuer)
        .setAudience(claims.audience ?? audience)
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + (claims.expiresInSeconds ?? 300))
        .sign(privateKey),
  };
}
