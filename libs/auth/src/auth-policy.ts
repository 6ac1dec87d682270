import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';

/** Who may call an endpoint. Every HTTP route must declare one; routes without are refused. */
export type AuthPolicy =
  | { type: 'public' }
  | { type: 'user'; anyOfRoles: readonly string[] }
  | { type: 'device'; kinds: readonly string[] };

export const AUTH_POLICY = 'platform:auth-policy';

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
