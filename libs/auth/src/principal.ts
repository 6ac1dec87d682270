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

export type Principal = UserPrincipal | DevicePrincipal;

export interface AuthenticatedRequest {
  principal?: Principal;
}
