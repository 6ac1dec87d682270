import { type DevicePrincipal, type UserPrincipal } from '@platform/auth';
import { type Actor, PERSON_ROLES, type Role } from '../state-machine';

/** The engine's actor for a Keycloak user: the realm roles the machine knows, the subject. */
export function actorOfUser(user: UserPrincipal): Actor {
  return {
    roles: user.roles.filter((role): role is Role =>
      (PERSON_ROLES as readonly string[]).includes(role),
    ),
    userId: user.subject.toLowerCase(),
  };
}

/** A locker controller logged in through base: role `locker`, its device id is the locker id. */
export function actorOfLocker(device: DevicePrincipal): Actor {
  return { roles: ['locker'], deviceId: device.deviceId.toLowerCase() };
}

/** The person roles a route is open to (the engine then decides per transition). */
export const ANY_PERSON = [...PERSON_ROLES];
export const STAFF = ['operator', 'admin'];
