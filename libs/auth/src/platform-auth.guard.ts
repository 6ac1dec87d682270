import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  Logger,
  Optional,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '@platform/errors';
import { AUTH_CREDENTIALS, AUTH_POLICY, type AuthPolicy } from './auth-policy';
import { bearerTokenOf } from './bearer-token';
import { KeycloakTokenVerifier } from './keycloak-token.verifier';
import {
  type AuthenticatedRequest,
  type CredentialPrincipal,
  type DevicePrincipal,
} from './principal';

export const DEVICE_SESSION_VERIFIER = Symbol('DEVICE_SESSION_VERIFIER');

/** The service's `CredentialVerifier`s (an array), for routes marked `@AlsoAccepts(kind)`. */
export const CREDENTIAL_VERIFIERS = Symbol('CREDENTIAL_VERIFIERS');

/**
 * A service-specific bearer credential (e.g. telematics API keys). `claims` is a cheap syntactic
 * test (a prefix) that tells the credential from a Keycloak JWT without verifying either;
 * `verify` throws a 401 DomainError when the credential is unknown or revoked.
 */
export interface CredentialVerifier {
  readonly kind: string;
  claims(token: string): boolean;
  verify(token: string): Promise<CredentialPrincipal>;
}

/** Resolves a device session token; implemented by the service that owns device sessions. */
export interface DeviceSessionVerifier {
  verify(token: string): Promise<DevicePrincipal>;
}

interface HttpRequest extends AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
  method: string;
  url: string;
}

/**
 * Global guard, deny by default: an HTTP route is reachable only under the policy it declares with
 * @Public, @Roles or @DeviceAuth. RPC handlers are internal (the Redis transport is the trust
 * boundary) and are not guarded here.
 */
@Injectable()
export class PlatformAuthGuard implements CanActivate {
  private readonly logger = new Logger('PlatformAuthGuard');

  constructor(
    private readonly reflector: Reflector,
    private readonly users: KeycloakTokenVerifier,
    @Optional() @Inject(DEVICE_SESSION_VERIFIER) private readonly devices?: DeviceSessionVerifier,
    @Optional()
    @Inject(CREDENTIAL_VERIFIERS)
    private readonly credentials: readonly CredentialVerifier[] = [],
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') {
      return true;
    }
    const request = context.switchToHttp().getRequest<HttpRequest>();
    const policy = this.reflector.getAllAndOverride<AuthPolicy | undefined>(AUTH_POLICY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!policy) {
      this.logger.error(
        { method: request.method, url: request.url },
        'route declares no auth policy; refused',
      );
      throw new DomainError('forbidden', 'NO_AUTH_POLICY', 'This endpoint is not open to anyone');
    }
    switch (policy.type) {
      case 'public':
        return true;
      case 'user': {
        const accepted = this.reflector.getAllAndOverride<string[] | undefined>(AUTH_CREDENTIALS, [
          context.getHandler(),
          context.getClass(),
        ]);
        const credential = await this.authorizeCredential(request, accepted ?? []);
        return credential || this.authorizeUser(request, policy.anyOfRoles);
      }
      case 'device':
        return this.authorizeDevice(request, policy.kinds);
    }
  }

  private async authorizeUser(
    request: HttpRequest,
    anyOfRoles: readonly string[],
  ): Promise<boolean> {
    const principal = await this.users.verify(bearerTokenOf(request.headers['authorization']));
    request.principal = principal;
    if (!anyOfRoles.some((role) => principal.roles.includes(role))) {
      throw new DomainError(
        'forbidden',
        'INSUFFICIENT_ROLE',
        `This endpoint requires one of the roles: ${anyOfRoles.join(', ')}`,
      );
    }
    return true;
  }

  /**
   * True when the bearer token is a credential of an accepted kind and valid; false when it is no
   * service credential (the Keycloak check follows); throws when it claims to be one but is
   * invalid, and 403 CREDENTIAL_NOT_ACCEPTED for a credential of a kind this route does not take
   * (an API key on an admin route was a 401 "not valid for this platform", sending its holder to
   * check a key that is fine).
   */
  private async authorizeCredential(
    request: HttpRequest,
    accepted: readonly string[],
  ): Promise<boolean> {
    const header = request.headers['authorization'];
    const credentials = this.credentials ?? [];
    if (credentials.length === 0 || typeof header !== 'string') return false;
    const token = bearerTokenOf(header);
    const verifier = credentials.find((candidate) => candidate.claims(token));
    if (!verifier) return false;
    if (!accepted.includes(verifier.kind)) {
      throw new DomainError(
        'forbidden',
        'CREDENTIAL_NOT_ACCEPTED',
        `This endpoint does not accept ${verifier.kind} credentials`,
      );
    }
    request.principal = await verifier.verify(token);
    return true;
  }

  private async authorizeDevice(request: HttpRequest, kinds: readonly string[]): Promise<boolean> {
    if (!this.devices) {
      throw new Error('A @DeviceAuth route needs a DEVICE_SESSION_VERIFIER provider');
    }
    const principal = await this.devices.verify(bearerTokenOf(request.headers['authorization']));
    request.principal = principal;
    if (!kinds.includes(principal.kind)) {
      throw new DomainError(
        'forbidden',
        'WRONG_DEVICE_KIND',
        `This endpoint is for devices of kind: ${kinds.join(', ')}`,
      );
    }
    return true;
  }
}
