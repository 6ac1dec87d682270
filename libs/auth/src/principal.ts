/** A person authenticated by Keycloak. */
export interface UserPrincipal {
  type: 'user';
  subject: string;
  username: string | undefined;
  /** Full name and e-mail from the profile scope, when the token carries them. */
  name: string | undefined;
  email: string | undefined;
  roles: readonly string[];
}

/** A device authenticated by a platform session token. */
export interface DevicePrincipal {
  type: 'device';
  deviceId: string;
  kind: string;
  privileges: number;
  sessionId: string;
}

/** A caller holding a service-specific credential (e.g. an API key), see `CredentialVerifier`. */
export interface CredentialPrincipal {
  type: 'credential';
  /** The verifier's kind, e.g. `api-key`. */
  kind: string;
  /** Stable id of the credential (never the secret). */
  id: string;
  name: string;
}

export type Principal = UserPrincipal | DevicePrincipal | CredentialPrincipal;

export interface AuthenticatedRequest {
  principal?: Principal;
}
