import { SetMetadata } from '@nestjs/common';

/** Who may call an endpoint. Every HTTP route must declare one; routes without are refused. */
export type AuthPolicy =
  | { type: 'public' }
  | { type: 'user'; anyOfRoles: readonly string[] }
  | { type: 'device'; kinds: readonly string[] };

export const AUTH_POLICY = 'platform:auth-policy';

/** No authentication: health, docs, device login. */
export const Public = (): MethodDecorator & ClassDecorator =>
  SetMetadata(AUTH_POLICY, { type: 'public' } satisfies AuthPolicy);

/** A Keycloak user holding at least one of the realm roles. */
export const Roles = (...anyOfRoles: string[]): MethodDecorator & ClassDecorator =>
  SetMetadata(AUTH_POLICY, { type: 'user', anyOfRoles } satisfies AuthPolicy);

/** A device (robot, store terminal, locker controller) with a live session of one of the kinds. */
export const DeviceAuth = (...kinds: string[]): MethodDecorator & ClassDecorator =>
  SetMetadata(AUTH_POLICY, { type: 'device', kinds } satisfies AuthPolicy);
