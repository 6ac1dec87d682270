import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { type AuthenticatedRequest, type DevicePrincipal, type UserPrincipal } from './principal';

function principalOf(context: ExecutionContext): AuthenticatedRequest['principal'] {
  return context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
}

/** The Keycloak user the guard authenticated for this request. */
export const CurrentUser = createParamDecorator(
  (_: unknown, context: ExecutionContext): UserPrincipal => {
    const principal = principalOf(context);
    if (principal?.type !== 'user') {
      throw new Error('@CurrentUser used on a route that is not guarded by @Roles');
    }
    return principal;
  },
);

/** The device the guard authenticated for this request. */
export const CurrentDevice = createParamDecorator(
  (_: unknown, context: ExecutionContext): DevicePrincipal => {
    const principal = principalOf(context);
    if (principal?.type !== 'device') {
      throw new Error('@CurrentDevice used on a route that is not guarded by @DeviceAuth');
    }
    return principal;
  },
);
