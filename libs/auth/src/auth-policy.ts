import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';

/** Who may call an endpoint. Every HTTP route must declare one; routes without are refused. */
export type AuthPolicy =
  | { type: 'public' }
  | { type: 'user'; anyOfRoles: readonly string[] }
  | { type: 'device'; kinds: readonly string[] };

export const AUTH_POLICY = 'platform:auth-policy';

/**
 * Service credentials (kinds of a `CredentialVerifier`, e.g. a service's API keys) a `@Roles`
 * route also accepts instead of a Keycloak token; see {@link AlsoAccepts}.
 */
export const AUTH_CREDENTIALS = 'platform:auth-credentials';

type PolicyDecorator = MethodDecorator & ClassDecorator;

/** No authentication: health, docs, device login. */
export const Public = (): PolicyDecorator =>
  SetMetadata(AUTH_POLICY, { type: 'public' } satisfies AuthPolicy);

/**
 * A Keycloak user holding at least one of the realm roles. Documents itself in OpenAPI, so the
 * published security of a route is always the one enforced.
 */
export const Roles = (...anyOfRoles: string[]): PolicyDecorator =>
  applyDecorators(
    SetMetadata(AUTH_POLICY, { type: 'user', anyOfRoles } satisfies AuthPolicy),
    ApiBearerAuth('keycloak'),
    ApiUnauthorizedResponse({ description: 'No, expired or invalid Keycloak access token' }),
    ApiForbiddenResponse({
      description: `Token without any of the roles: ${anyOfRoles.join(', ')}`,
    }),
  );

/** A device (robot, store terminal, locker controller) with a live session of one of the kinds. */
export const DeviceAuth = (...kinds: string[]): PolicyDecorator =>
  applyDecorators(
    SetMetadata(AUTH_POLICY, { type: 'device', kinds } satisfies AuthPolicy),
    ApiBearerAuth('device'),
    ApiUnauthorizedResponse({ description: 'No, expired or revoked device session token' }),
    ApiForbiddenResponse({
      description: `A session of a device kind other than: ${kinds.join(', ')}`,
    }),
  );

/**
 * A `@Roles` route also lets in a bearer credential of one of these kinds, verified by the
 * service's `CredentialVerifier` of that kind (registered under `CREDENTIAL_VERIFIERS`). The
 * credential stands in for the roles: its verifier decides whether it is valid, the roles are
 * not checked. Documents the credential as an extra OpenAPI security scheme of the same name.
 */
export const AlsoAccepts = (...kinds: string[]): PolicyDecorator =>
  applyDecorators(
    SetMetadata(AUTH_CREDENTIALS, kinds),
    ...kinds.map((kind) => ApiBearerAuth(kind)),
  );
